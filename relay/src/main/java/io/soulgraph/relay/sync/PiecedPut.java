package io.soulgraph.relay.sync;

import io.soulgraph.graph.PutResult;
import io.soulgraph.ham.Graph;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The outcome of one put stored in pieces ({@link PutLane}): the pieces' results summed, the first
 * failure, and what was not stored, so that the put is answered once, when its last piece ends.
 * Thread-safe.
 */
final class PiecedPut {

  private static final int NAMED_SOULS = 5;

  private final int fields;
  private final int pieces;
  private int ended;
  private int storedFields;
  private int acceptedFields;
  private int deferredFields;
  private int historical;
  private Throwable failure;
  private final Set<String> unstoredSouls = new LinkedHashSet<>();
  private volatile boolean failed;

  PiecedPut(int fields, int pieces) {
    this.fields = fields;
    this.pieces = pieces;
  }

  /**
   * Records how one piece ended.
   *
   * @return true when it was the put's last piece: the put can be answered
   */
  synchronized boolean record(Graph piece, PutResult result, Throwable pieceFailure) {
    if (pieceFailure == null) {
      storedFields += piece.fieldCount();
      acceptedFields += result.accepted().fieldCount();
      deferredFields += result.deferred().fieldCount();
      historical += result.historical();
    } else {
      failed = true;
      if (failure == null
          || (failure instanceof PutLane.Skipped && !(pieceFailure instanceof PutLane.Skipped))) {
        failure = pieceFailure; // the cause, not the pieces skipped after it
      }
      unstoredSouls.addAll(piece.nodes().keySet());
    }
    return ++ended == pieces;
  }

  /** True once a piece failed: the put's later pieces are not offered to the store. */
  boolean failed() {
    return failed;
  }

  synchronized Throwable failure() {
    return failure;
  }

  synchronized int storedFields() {
    return storedFields;
  }

  synchronized int acceptedFields() {
    return acceptedFields;
  }

  synchronized int deferredFields() {
    return deferredFields;
  }

  /**
   * The ack rule ({@link PutHandler}): acked if any field was accepted, or if none lost to a newer
   * state or waits for a future one (every field already stored exactly: a retry).
   */
  synchronized boolean acks() {
    return acceptedFields > 0 || (deferredFields == 0 && historical == 0);
  }

  /** What a partly stored put's {@code err} starts with. */
  synchronized String partialText() {
    StringBuilder souls = new StringBuilder();
    int named = 0;
    for (String soul : unstoredSouls) {
      if (named == NAMED_SOULS) {
        souls.append(" and ").append(unstoredSouls.size() - NAMED_SOULS).append(" more");
        break;
      }
      souls.append(named++ == 0 ? "'" : ", '").append(soul).append('\'');
    }
    return "Stored " + storedFields + " of this put's " + fields + " fields; not stored: "
        + (fields - storedFields) + " fields of " + souls + ", send them again";
  }
}
