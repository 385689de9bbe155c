package io.soulgraph.graph.internal;

import io.soulgraph.graph.PutResult;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Update;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Work for the single writer thread; each completes its future after the group commit. */
sealed interface WriteTask {

  CompletableFuture<PutResult> future();

  /** When the task was queued ({@link System#nanoTime()}). */
  long queuedAt();

  /** Estimated heap bytes of what it writes (bounds the write queue). */
  long bytes();

  /** How many fields it writes (bounds one group commit). */
  int fields();

  /** Whether it is one piece of a bigger put ({@code SoulStore.putPiece}). */
  default boolean piece() {
    return false;
  }

  /** A put of a diff, or of one piece of a bigger one. */
  record Put(Graph diff, Object origin, CompletableFuture<PutResult> future, long queuedAt,
      long bytes, boolean piece) implements WriteTask {

    Put(Graph diff, Object origin, CompletableFuture<PutResult> future, long queuedAt,
        boolean piece) {
      this(diff, origin, future, queuedAt, Weights.graph(diff), piece);
    }

    @Override
    public int fields() {
      return diff.fieldCount();
    }
  }

  /**
   * One batch of writes a peer found missing here, and (with the stream's last batch) the peer's
   * context to take over, else null; origin as for a put.
   */
  record AntiEntropy(
      List<Update> batch,
      CausalContext senderContext,
      Object origin,
      CompletableFuture<PutResult> future,
      long queuedAt)
      implements WriteTask {

    @Override
    public long bytes() {
      long bytes = 0;
      for (Update u : batch) {
        bytes += 2L * u.soul().length() + Weights.field(u.field(), u.fieldState());
      }
      return bytes;
    }

    @Override
    public int fields() {
      return batch.size();
    }
  }
}
