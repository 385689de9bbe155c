package io.soulgraph.relay.sync;

import io.soulgraph.graph.InvalidDiffException;
import io.soulgraph.graph.PutRefusedException;
import io.soulgraph.graph.StoreBusyException;
import io.soulgraph.graph.StoreException;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.gun.GunException;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes what the peer is told, which metric counts it, and whether the
 * session goes on: whether it came up while reading a frame or later from the store or the SEA
 * validator. Three kinds, kept apart:
 *
 * <ul>
 *   <li>the peer's fault (bad frame, invalid graph, over a limit): {@code err}, one strike, and
 *       after too many the session ends ({@link Disconnect#ABUSE});
 *   <li>load (the peer's puts waiting, the store's write queue or SEA's queue full, the store
 *       closing): {@code err} "Busy…; resend later", no strike;
 *   <li>a bug: while reading a frame, the session ends ({@link Disconnect#INTERNAL}, logged at
 *       ERROR); from the store, {@code err} "Storage failed" (the store logs and reports a failing
 *       backend itself).
 * </ul>
 */
final class Failures {

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
  private static final String BUSY = "busy";
  private static final String STORE = "store";

  private final RelayMetrics metrics;
  private final Outbox outbox;

  Failures(RelayMetrics metrics, Outbox outbox) {
    this.metrics = metrics;
    this.outbox = outbox;
  }

  /** A failure while handling a message the session sent (its id, or null if unreadable). */
  void onMessage(Session session, String messageId, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StoreException) { // a read the backend failed: the storage's fault
      metrics.error("store");
      LOG.debug("Message {} from {} failed in the store", messageId, session, cause);
      err(session, messageId, "Storage failed: " + cause.getMessage());
      return;
    }
    if (!answered(session, messageId, cause)) {
      LOG.error("Closing {} after an internal error", session, failure);
      outbox.disconnect(session, Disconnect.INTERNAL, "Internal error");
    }
  }

  /** A put of the session that the store or the SEA validator failed. */
  void onPut(Session session, String messageId, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (!answered(session, messageId, cause)) {
      metrics.error(STORE);
      LOG.debug("Put {} from {} failed in the store", messageId, session, cause);
      err(session, messageId, told(cause).text());
    }
  }

  /**
   * A put stored in part: its first pieces were committed, then one failed ({@link PiecedPut}).
   * The peer is told what was stored and what not, then why, as for {@link #onPut}.
   */
  void onPut(Session session, String messageId, Throwable failure, String storedInPart) {
    Told told = told(unwrap(failure));
    metrics.error(told.kind());
    LOG.debug("Put {} from {} stored in part: {}", messageId, session, storedInPart, failure);
    err(session, messageId, storedInPart + ". " + told.text());
  }

  private boolean answered(Session session, String messageId, Throwable failure) {
    if (failure instanceof GunException.Abusive abusive) {
      LOG.warn("Closing {}: {}", session, abusive.getMessage());
      outbox.disconnect(session, Disconnect.ABUSE, abusive.getMessage());
      return true;
    }
    Told told = told(failure);
    if (told.kind().equals(STORE)) {
      return false;
    }
    metrics.error(told.kind());
    err(session, messageId, told.text());
    if (told.kind().equals(BUSY)) {
      LOG.debug("Busy with {}: {}", session, told.text());
      return true;
    }
    try {
      session.budget().strike(failure.getMessage());
    } catch (GunException.Abusive abusive) {
      answered(session, messageId, abusive);
    }
    return true;
  }

  /** What the peer is told of a failure and its metric kind: load, the peer's fault or storage's. */
  private record Told(String kind, String text) {}

  private static Told told(Throwable failure) {
    String load = loadText(failure);
    if (load != null) {
      return new Told(BUSY, load);
    }
    String kind = faultKind(failure);
    if (kind != null) {
      return new Told(kind, failure instanceof PutRefusedException
          ? "Refused: " + failure.getMessage()
          : failure.getMessage());
    }
    return new Told(STORE, "Storage failed: " + failure.getMessage());
  }

  /** What the peer is told when the relay is busy, or null when the failure is not load. */
  private static String loadText(Throwable failure) {
    if (failure instanceof GunException.Busy busy) {
      return busy.getMessage();
    }
    if (failure instanceof StoreBusyException || failure instanceof RejectedExecutionException) {
      return "Busy: " + failure.getMessage() + "; resend later";
    }
    return null;
  }

  /** The metric kind of a peer's fault, or null when the failure is not the peer's. */
  private static String faultKind(Throwable failure) {
    if (failure instanceof InvalidDiffException) {
      return "invalid-graph";
    }
    if (failure instanceof PutRefusedException || failure instanceof GunException.LimitExceeded) {
      return "limit";
    }
    return failure instanceof GunException.BadFrame ? "bad-message" : null;
  }

  private void err(Session session, String messageId, String text) {
    String id = outbox.newId();
    outbox.send(session, "err", id, GunCodec.error(id, messageId, text));
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
