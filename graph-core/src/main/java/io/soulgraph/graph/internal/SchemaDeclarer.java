package io.soulgraph.graph.internal;

import java.util.Collection;
import org.janusgraph.core.Cardinality;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;

/**
 * Declares a field's property key or edge label, each in a transaction of its own, before the
 * batch that needs it commits.
 *
 * <p>Why not inside the batch: alone on its storage, the writer's transactions skip JanusGraph's
 * consistency checks ({@link BatchLoader#writeTransaction}), and JanusGraph refuses to create
 * schema types in such a transaction. On a shared cluster, JanusGraph commits a transaction's schema part separately and, when
 * that part fails (two relays declaring the same name at once: the loser's lock check fails), it
 * does not roll it back, so the loser's lock claims on every name of that part stay until they
 * expire and block both relays from declaring those names (JanusGraph 1.1.0,
 * {@code StandardJanusGraph.commit}, "storage exception in system-commit"). With one name per
 * transaction the only claim left behind is on a name the winner has just declared, which nobody
 * needs to lock again.
 */
final class SchemaDeclarer {

  private final JanusGraph graph;
  private final boolean shared;

  /** @param shared whether other relays declare names on the same storage too */
  SchemaDeclarer(JanusGraph graph, boolean shared) {
    this.graph = graph;
    this.shared = shared;
  }

  /**
   * Declares property keys and edge labels a batch needs, none of which the schema holds yet.
   * Alone on its storage, all in one transaction: a wide new node needs two names per field (its
   * key or label and its entry key), and a transaction per name cost the writer a commit each;
   * no other process declares names there, so a failure is the backend's and fails (or retries)
   * the batch. On a shared cluster one name per transaction (see above).
   */
  void declareAll(Collection<String> propertyKeys, Collection<String> edgeLabels) {
    if (propertyKeys.isEmpty() && edgeLabels.isEmpty()) {
      return;
    }
    if (shared) {
      propertyKeys.forEach(this::declarePropertyKey);
      edgeLabels.forEach(this::declareEdgeLabel);
      return;
    }
    JanusGraphTransaction tx = graph.newTransaction();
    try {
      for (String name : propertyKeys) {
        tx.makePropertyKey(name).dataType(Object.class).cardinality(Cardinality.SINGLE).make();
      }
      for (String name : edgeLabels) {
        tx.makeEdgeLabel(name).make();
      }
      tx.commit();
    } finally {
      if (tx.isOpen()) {
        tx.rollback();
      }
    }
  }

  void declarePropertyKey(String name) {
    declare(name, tx -> {
      if (!tx.containsRelationType(name)) {
        tx.makePropertyKey(name).dataType(Object.class).cardinality(Cardinality.SINGLE).make();
      }
    });
  }

  void declareEdgeLabel(String name) {
    declare(name, tx -> {
      if (!tx.containsRelationType(name)) {
        tx.makeEdgeLabel(name).make();
      }
    });
  }

  /**
   * Runs {@code make} in its own transaction. If that fails because another relay declared the
   * name first, the name now exists and the caller's transaction sees it; any other failure
   * propagates and fails (or retries) the batch.
   */
  private void declare(String name, java.util.function.Consumer<JanusGraphTransaction> make) {
    JanusGraphTransaction tx = graph.newTransaction();
    try {
      make.accept(tx);
      tx.commit();
    } catch (RuntimeException e) {
      if (tx.isOpen()) {
        tx.rollback();
      }
      JanusGraphTransaction check = graph.newTransaction();
      try {
        if (!check.containsRelationType(name)) {
          throw e;
        }
      } finally {
        check.rollback();
      }
    }
  }
}
