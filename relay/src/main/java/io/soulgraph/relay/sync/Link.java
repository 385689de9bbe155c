package io.soulgraph.relay.sync;

/**
 * A transport's side of one connection: all the sync core needs to talk to a peer. A transport
 * (WebSocket server, WebSocket client, libp2p stream, gossipsub) implements this and only frames;
 * budgets, queue bounds and what to say live in the core.
 */
public interface Link {

  /** A short description for logs, e.g. {@code ws:12@127.0.0.1:5123} or {@code p2p:12D3KooW…}. */
  String describe();

  /**
   * Queues one text frame for writing; never blocks. Calls {@code written} exactly once, when the
   * frame was written or dropped (the core counts queued bytes with it). Frames to a closed link
   * are dropped (and {@code written} still runs).
   */
  void write(String frame, Runnable written);

  /**
   * Closes the connection for {@code reason}; the transport maps the reason to its own signal (a
   * WebSocket close code, a stream reset). {@code text} is for the peer and the log.
   */
  void disconnect(Disconnect reason, String text);

  /**
   * True when the peer reads a frame holding an array of messages ({@code [{…},{…}]}, GunDB's
   * batch, which every gun client and relay accepts), so the core may join several messages to it
   * into one frame ({@link Outbox#endTurn}). A transport whose frame must be one message (a gossip
   * message) keeps the default.
   */
  default boolean readsBatches() {
    return false;
  }

  /**
   * True when live changes reach this peer another way (libp2p peers get them over gossipsub), so
   * the core does not flood committed changes to it even when it is a relay; catch-up and get
   * forwarding still run over this link.
   */
  default boolean liveChangesElsewhere() {
    return false;
  }

  /**
   * True when every put this peer sends is a change its sender holds already (gossipsub: a relay
   * publishes what it committed, a native peer its own writes), so the core pushes it to
   * subscribers before committing it (as it does for a Soulgraph peer's puts).
   */
  default boolean sendsHeldChanges() {
    return false;
  }
}
