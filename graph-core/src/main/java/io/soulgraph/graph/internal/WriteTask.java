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

  /** A put of a diff. */
  record Put(Graph diff, Object origin, CompletableFuture<PutResult> future, long queuedAt)
      implements WriteTask {}

  /** Writes a peer found missing here, and the peer's context to take over. */
  record AntiEntropy(
      List<Update> missing,
      CausalContext senderContext,
      CompletableFuture<PutResult> future,
      long queuedAt)
      implements WriteTask {}
}
