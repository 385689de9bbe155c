package io.soulgraph.relay.gun;

/**
 * One connection the relay speaks the Gun protocol over: a browser or Node client, or another
 * relay (dialed with {@code --peer} or dialing in). The transport frames text; the protocol never
 * sees a socket.
 */
public interface Peer {

  /** A short id for logs and metrics (unique among open connections). */
  String id();

  /** Queues one text frame; never blocks. Frames to a closed peer are dropped. */
  void send(String frame);

  /** Closes the connection with a WebSocket close code and a reason. */
  void close(int code, String reason);

  /** True for relays we dialed ({@code --peer}): every accepted change is flooded to them. */
  boolean isRelay();

  /** This peer's limits and counters. */
  PeerBudget budget();
}
