package io.soulgraph.relay.gun;

import io.soulgraph.relay.metrics.RelayMetrics;

/** Sends encoded messages to peers, counting them by type. */
final class Outbox {

  private final RelayMetrics metrics;
  private final MessageLog log;

  Outbox(RelayMetrics metrics, MessageLog log) {
    this.metrics = metrics;
    this.log = log;
  }

  /** Sends one message; {@code id} is recorded as the relay's own so echoes are dropped. */
  void send(Peer peer, String type, String id, String text) {
    log.recordOwn(id);
    metrics.messageOut(type);
    peer.send(text);
  }

  /** Forwards a message under its original id (already recorded with its origin). */
  void forward(Peer peer, String type, String text) {
    metrics.messageOut(type);
    peer.send(text);
  }
}
