package io.soulgraph.relay.http;

import io.soulgraph.relay.sync.Disconnect;

/**
 * The WebSocket transports' mapping from the sync core's {@link Disconnect} reasons to RFC 6455
 * close codes (§7.4.1). Used by the accepting server and by the relay's dialer alike.
 */
public final class CloseCodes {

  /** The relay is stopping. */
  public static final int GOING_AWAY = 1001;

  /** Repeated abuse (malformed frames, limits), or a peer of another network. */
  public static final int POLICY_VIOLATION = 1008;

  /** A frame over the size limit. */
  public static final int MESSAGE_TOO_BIG = 1009;

  /** A bug in the relay while handling this connection. */
  public static final int INTERNAL_ERROR = 1011;

  /** Too many connections, or the peer does not read what it is sent. */
  public static final int TRY_AGAIN_LATER = 1013;

  private CloseCodes() {}

  /** The close code a WebSocket sends for {@code reason}. */
  public static int of(Disconnect reason) {
    return switch (reason) {
      case SHUTDOWN -> GOING_AWAY;
      case ABUSE -> POLICY_VIOLATION;
      case TOO_BIG -> MESSAGE_TOO_BIG;
      case OVERLOADED, SLOW_READER -> TRY_AGAIN_LATER;
      case INTERNAL -> INTERNAL_ERROR;
    };
  }
}
