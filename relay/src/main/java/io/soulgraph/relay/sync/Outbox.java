package io.soulgraph.relay.sync;

import io.soulgraph.relay.metrics.RelayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way anything leaves the core: counts each message by type, bounds what is queued to a
 * session (frames and bytes, {@link SessionBudget#beginSend}) and ends a session that does not
 * read what it is sent ({@link Disconnect#SLOW_READER}). Transports only write frames.
 */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final RelayMetrics metrics;
  private final MessageLog log;

  Outbox(RelayMetrics metrics, MessageLog log) {
    this.metrics = metrics;
    this.log = log;
  }

  /** A fresh id for a message the relay sends: its echoes are dropped, replies to it consumed. */
  String newId() {
    return log.nextOwnId();
  }

  /** Sends one message of the relay's own, whose {@code id} came from {@link #newId}. */
  void send(Session session, String type, String id, String text) {
    forward(session, type, text);
  }

  /** Sends a message whose id is its sender's (forwarded) or one from {@link #newId} for many. */
  void forward(Session session, String type, String text) {
    metrics.messageOut(type);
    write(session, text);
  }

  /** Writes one frame within the session's outbound bound. */
  void write(Session session, String frame) {
    if (session.ended()) {
      return;
    }
    long chars = frame.length();
    SessionBudget budget = session.budget();
    if (!budget.beginSend(chars)) {
      LOG.warn("Closing {}: it does not read what it is sent ({} bytes queued)", session,
          budget.outboundBytes());
      disconnect(session, Disconnect.SLOW_READER, "Too many frames waiting to be sent");
      return;
    }
    session.link().write(frame, () -> budget.endSend(chars));
  }

  /** Ends the session once: nothing more it sends is handled, and its transport closes it. */
  void disconnect(Session session, Disconnect reason, String text) {
    if (session.end()) {
      metrics.error(reason == Disconnect.INTERNAL ? "internal" : "closed");
      session.link().disconnect(reason, text == null ? "" : text);
    }
  }
}
