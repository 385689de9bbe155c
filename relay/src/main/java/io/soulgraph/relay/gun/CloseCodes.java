package io.soulgraph.relay.gun;

import io.soulgraph.graph.InvalidDiffException;

/**
 * The one place where failures become WebSocket close codes (RFC 6455 §7.4.1). A code of
 * {@link #KEEP_OPEN} means: answer the offending message with {@code err} and keep serving.
 */
public final class CloseCodes {

  /** Not a close code: the connection stays open. */
  public static final int KEEP_OPEN = 0;
  /** The relay is stopping. */
  public static final int GOING_AWAY = 1001;
  /** Repeated abuse (malformed frames, limits). */
  public static final int POLICY_VIOLATION = 1008;
  /** A frame over the size limit. */
  public static final int MESSAGE_TOO_BIG = 1009;
  /** A bug in the relay while handling this connection. */
  public static final int INTERNAL_ERROR = 1011;
  /** Too many connections, or the peer does not read what it is sent. */
  public static final int TRY_AGAIN_LATER = 1013;

  private CloseCodes() {}

  /** What to do about a failure while handling a peer's frame. */
  public static int of(Throwable failure) {
    if (failure instanceof GunException.Abusive abusive) {
      return abusive.closeCode();
    }
    if (failure instanceof GunException || failure instanceof InvalidDiffException) {
      return KEEP_OPEN;
    }
    return INTERNAL_ERROR;
  }
}
