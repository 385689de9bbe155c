package io.soulgraph.graph.internal;

import io.soulgraph.graph.StoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;

/**
 * The writer's view of committed state during one batch.
 *
 * <p>Alone on its storage (inmemory, berkeleyje), the writer trusts the hot index and loads
 * misses through one read-only transaction for the whole batch: only this writer commits, so a
 * transaction begun after the previous commit sees everything committed.
 *
 * <p>On a shared cluster other relays commit too. Every soul the batch touches is read in the
 * batch's own write transaction, so the commit's locks check exactly what the decisions were
 * based on: if another relay changed one of those records in between, the commit fails with a
 * locking exception and the batch is resolved again on fresh reads (docs/data-model.md).
 */
final class BatchLoader implements Function<String, HotNode>, AutoCloseable {

  private final HotIndex hot;
  private final JanusGraph graph;
  private final boolean shared;
  private final SoulFilter souls;
  /** Reads of shared-cluster batches in flight at once: Cassandra answers them in parallel. */
  private static final int PARALLEL_READS = 16;
  private static final ExecutorService READERS = new ThreadPoolExecutor(0, PARALLEL_READS,
      30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "soulgraph-batch-reads");
        thread.setDaemon(true);
        return thread;
      }, new ThreadPoolExecutor.CallerRunsPolicy());

  private final Map<String, HotNode> fresh = new LinkedHashMap<>();
  private JanusGraphTransaction tx;

  /**
   * @param souls the souls that have a vertex (a soul surely absent is not looked up); null when
   *     shared or not known
   */
  BatchLoader(HotIndex hot, JanusGraph graph, boolean shared, SoulFilter souls) {
    this.hot = hot;
    this.graph = graph;
    this.shared = shared;
    this.souls = souls;
  }

  /**
   * The committed state of a soul.
   *
   * @throws StoreException if the backend read fails (so that the batch can tell a failing
   *     backend, which fails the whole batch, from a bug in resolving one task)
   */
  @Override
  public HotNode apply(String soul) {
    try {
      if (shared) {
        return fresh.computeIfAbsent(soul, s -> GraphReads.load(transaction(), s));
      }
      return hot.get(soul, s -> souls != null && souls.surelyAbsent(s) ? HotNode.ABSENT
          : GraphReads.load(transaction(), s));
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreException("Expected to read soul '" + soul + "' from the backend", e);
    }
  }

  /**
   * On a shared cluster, reads the souls a batch writes all at once, in the batch's transaction
   * (JanusGraph's transactions are thread-safe unless built single-threaded): each soul is an index
   * lookup and a record read, two round trips to Cassandra, and one soul after another they were
   * most of a commit once its locks were settled in one round. Alone on its storage the writer
   * reads the hot index, and this does nothing.
   */
  void prefetch(Collection<String> souls) {
    if (!shared) {
      return;
    }
    List<String> unread = souls.stream().distinct().filter(s -> !fresh.containsKey(s)).toList();
    if (unread.size() < 2) {
      return;
    }
    JanusGraphTransaction reads = transaction();
    List<CompletableFuture<HotNode>> loads = new ArrayList<>(unread.size());
    for (String soul : unread) {
      loads.add(CompletableFuture.supplyAsync(() -> GraphReads.load(reads, soul), READERS));
    }
    for (int i = 0; i < unread.size(); i++) {
      String soul = unread.get(i);
      try {
        fresh.put(soul, loads.get(i).join());
      } catch (CompletionException e) {
        throw new StoreException("Expected to read soul '" + soul + "' from the backend",
            e.getCause());
      }
    }
  }

  /** What this batch knows of a soul without reading: the fresh read, or the hot index. */
  HotNode known(String soul) {
    return shared ? fresh.get(soul) : hot.getIfPresent(soul);
  }

  /**
   * The transaction to write the batch in: the one the reads were made in when shared. Alone on
   * its storage, the writer skips JanusGraph's consistency checks: it knows from its own reads
   * (hot index or this batch's loads) which souls have a vertex and creates one only for a soul
   * that has none, and no other process writes, so the checks (a unique-index read per new soul,
   * an existence read per vertex touched) could only confirm what it already knows. On a shared
   * cluster they stay: other relays create souls too.
   */
  JanusGraphTransaction writeTransaction() {
    if (shared) {
      return transaction();
    }
    return graph.buildTransaction().consistencyChecks(false)
        .checkInternalVertexExistence(false).checkExternalVertexExistence(false).start();
  }

  /** Souls read from a shared cluster in this batch, with what was read. */
  Map<String, HotNode> freshReads() {
    return fresh;
  }

  private JanusGraphTransaction transaction() {
    if (tx == null) {
      tx = shared ? graph.newTransaction() : graph.buildTransaction().readOnly().start();
    }
    return tx;
  }

  @Override
  public void close() {
    if (tx != null && tx.isOpen()) {
      tx.rollback();
    }
  }
}
