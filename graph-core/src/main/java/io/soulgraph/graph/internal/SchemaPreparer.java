package io.soulgraph.graph.internal;

import io.soulgraph.ham.Graph;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares the new field names of a put on a thread of its own, before the put reaches the
 * writer. A JanusGraph schema type costs the writer about a millisecond to make and look up the
 * first time; declared on the writer, a piece of 256 new names held every other connection's
 * commit back by about 300 ms (docs/benchmarks.md, fairness). Declared here, the writer finds
 * the names made, and a big put's next piece is declared while its last one commits.
 *
 * <p>Only an optimisation: whatever goes wrong here (a full queue, a backend failure, a closing
 * store), the returned future completes normally and the writer declares what is still missing,
 * as it does for every put that was not prepared. Declarations take turns with the writer's
 * ({@link SchemaDeclarer}), and hand the types made to the schema cache
 * ({@link SeededSchemaCache}), so the writer's first use of them reads nothing.
 */
final class SchemaPreparer {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaPreparer.class);
  /** Puts waiting to be prepared; beyond it a put goes to the writer unprepared. */
  private static final int QUEUED = 1024;
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final JanusGraph graph;
  private final SchemaDeclarer schema;
  private final ThreadPoolExecutor thread;
  private volatile boolean closing;

  SchemaPreparer(JanusGraph graph, SchemaDeclarer schema, String replicaId) {
    this.graph = graph;
    this.schema = schema;
    this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUED), work -> {
          Thread named = new Thread(work, "soulgraph-schema-" + replicaId);
          named.setDaemon(true);
          return named;
        });
  }

  /** Completes once the names {@code diff} needs are declared, or when trying has ended. */
  CompletableFuture<Void> prepare(Graph diff) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    if (closing) {
      ready.complete(null);
      return ready;
    }
    try {
      thread.execute(() -> declareFor(diff, ready));
    } catch (RejectedExecutionException full) {
      ready.complete(null);
    }
    return ready;
  }

  private void declareFor(Graph diff, CompletableFuture<Void> ready) {
    try {
      if (!closing) {
        JanusGraphTransaction tx = graph.newTransaction();
        try {
          SchemaDeclarer.Missing missing = schema.missing(tx);
          diff.nodes().values().forEach(node -> node.fields().forEach(
              (field, state) -> missing.add(field, state.value())));
          schema.declare(missing); // and hands the new types to the schema cache
        } finally {
          tx.rollback();
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("Could not declare a put's field names ahead of its commit; the writer will ({})",
          e.toString());
    } finally {
      ready.complete(null);
    }
  }

  /** Stops preparing: what waits completes without work, before the graph closes. */
  void close() {
    closing = true;
    thread.shutdown();
    try {
      thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.shutdownNow().forEach(Runnable::run); // each sees closing and completes its future
  }
}
