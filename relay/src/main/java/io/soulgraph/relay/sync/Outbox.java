package io.soulgraph.relay.sync;

import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way anything leaves the core: counts each message by type, bounds what is queued to a
 * session (frames and bytes, {@link SessionBudget#beginSend}) and ends a session that does not
 * read what it is sent ({@link Disconnect#SLOW_READER}). Transports only write frames.
 *
 * <p>What the delivery thread sends a session in one turn (the acks and pushes of a commit, say)
 * leaves as one array frame, as GunDB's own relay batches what it says in one event-loop turn:
 * under load, one frame carries dozens of messages and the transport's cost per frame is paid
 * once; with nothing else queued the turn ends after the one message and nothing waits.
 */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  /**
   * A turn's messages to one session leave in frames of at most this many chars (GunDB: about
   * 9,000) and messages (a Soulgraph relay reads up to 1,000 in a frame by default).
   */
  static final int MAX_JOINED_CHARS = 16 * 1024;
  static final int MAX_JOINED_MESSAGES = 100;

  private final RelayMetrics metrics;
  private final MessageLog log;
  /** The thread whose messages are joined per turn (the delivery thread), once it runs. */
  private volatile Thread joining;
  /** That thread's messages of its current turn, by session; only it touches the map. */
  private final Map<Session, Joined> turn = new IdentityHashMap<>();

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

  /**
   * Writes one message within the session's outbound bound: at once, or, from the joining thread
   * to a link that reads batches, at the end of its turn.
   */
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
    if (Thread.currentThread() == joining && session.link().readsBatches()) {
      join(session, frame);
    } else {
      session.link().write(frame, () -> budget.endSend(chars));
    }
  }

  /** From now on, what {@code thread} writes waits for its {@link #endTurn} to be framed. */
  void joinTurnsOf(Thread thread) {
    joining = thread;
  }

  private void join(Session session, String message) {
    Joined joined = turn.get(session);
    // a batch of its own (the heartbeat) or a large message leaves alone, after what came before
    boolean alone = message.isEmpty() || message.charAt(0) != '{'
        || message.length() >= MAX_JOINED_CHARS;
    if (joined != null && (alone || !joined.fits(message))) {
      turn.remove(session).write();
      joined = null;
    }
    if (alone) {
      new Joined(session, message).write();
    } else if (joined == null) {
      turn.put(session, new Joined(session, message));
    } else {
      joined.add(message);
    }
  }

  /** Ends the joining thread's turn: each session's messages of it leave as one frame. */
  void endTurn() {
    for (Joined frame : turn.values()) {
      try {
        frame.write();
      } catch (RuntimeException bug) {
        LOG.error("Writing {} messages to {} failed", frame.messages.size(), frame.session, bug);
      }
    }
    turn.clear();
  }

  /** One session's messages of a turn, counted against its budget until they are written. */
  private static final class Joined {
    private final Session session;
    private final List<String> messages = new ArrayList<>(4);
    private long chars;

    Joined(Session session, String first) {
      this.session = session;
      add(first);
    }

    boolean fits(String message) {
      return messages.size() < MAX_JOINED_MESSAGES
          && chars + message.length() <= MAX_JOINED_CHARS;
    }

    void add(String message) {
      messages.add(message);
      chars += message.length();
    }

    void write() {
      SessionBudget budget = session.budget();
      int count = messages.size();
      long sent = chars;
      if (session.ended()) {
        budget.endSends(count, sent);
        return;
      }
      String frame = count == 1 ? messages.get(0) : GunCodec.batch(messages);
      session.link().write(frame, () -> budget.endSends(count, sent));
    }
  }

  /** Ends the session once: nothing more it sends is handled, and its transport closes it. */
  void disconnect(Session session, Disconnect reason, String text) {
    if (session.end()) {
      metrics.error(reason == Disconnect.INTERNAL ? "internal" : "closed");
      session.link().disconnect(reason, text == null ? "" : text);
    }
  }
}
