package io.soulgraph.graph.internal;

import java.util.function.Function;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;

/**
 * The writer's view of committed state during one batch: the hot index, with misses loaded
 * through one read-only transaction for the whole batch instead of one per soul. Only the writer
 * commits, so a transaction begun after the previous commit sees everything committed.
 */
final class BatchLoader implements Function<String, HotNode>, AutoCloseable {

  private final HotIndex hot;
  private final JanusGraph graph;
  private JanusGraphTransaction tx;

  BatchLoader(HotIndex hot, JanusGraph graph) {
    this.hot = hot;
    this.graph = graph;
  }

  @Override
  public HotNode apply(String soul) {
    return hot.get(soul, this::load);
  }

  private HotNode load(String soul) {
    if (tx == null) {
      tx = graph.buildTransaction().readOnly().start();
    }
    return GraphReads.load(tx, soul);
  }

  @Override
  public void close() {
    if (tx != null && tx.isOpen()) {
      tx.rollback();
    }
  }
}
