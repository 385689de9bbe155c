package io.soulgraph.graph.internal;

import io.soulgraph.ham.CausalContext;
import java.util.Iterator;
import java.util.Map;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;
import org.janusgraph.core.JanusGraphVertex;

/**
 * Reads of the stored soul graph.
 *
 * <p>A JanusGraph transaction is costly to begin (it builds its own vertex and index caches): a
 * read-only one per cold {@code get} was ~80 % of a relay's samples while it answered gets of souls
 * not in the hot index. Alone on its backend (inmemory, berkeleyje), the store shares one read
 * transaction among the reads of many souls ({@link SharedReadTransaction}): it is replaced after
 * every commit, so it never shows a state older than the hot index. On a shared cluster other
 * relays commit at any time, so each read there has a fresh transaction.
 */
final class GraphReads {

  private final JanusGraph graph;
  private final String metaKeyValue;
  private final SoulFilter souls;
  private final SharedReadTransaction shared;

  /**
   * @param souls the souls that have a vertex, or null if not known (a shared cluster, a store
   *     that opened with data)
   * @param alone whether only this process commits to the graph (reads may share a transaction)
   */
  GraphReads(JanusGraph graph, String metaKeyValue, SoulFilter souls, boolean alone) {
    this.graph = graph;
    this.metaKeyValue = metaKeyValue;
    this.souls = souls;
    this.shared = alone ? new SharedReadTransaction(graph) : null;
  }

  /** The committed state of a soul ({@link HotNode#ABSENT} if it has no vertex). */
  HotNode load(String soul) {
    if (souls != null && souls.surelyAbsent(soul)) {
      return HotNode.ABSENT;
    }
    if (shared != null) {
      return shared.read(tx -> load(tx, soul));
    }
    JanusGraphTransaction tx = graph.buildTransaction().readOnly().start();
    try {
      return load(tx, soul);
    } finally {
      tx.rollback();
    }
  }

  /**
   * Tells the reads that a commit landed: a read that begins after this call sees it. Called by
   * the writer after each commit and before the hot index takes its changes.
   */
  void committed() {
    if (shared != null) {
      shared.committed();
    }
  }

  /** Ends the shared read transaction, if any (the graph is about to close). */
  void close() {
    if (shared != null) {
      shared.close();
    }
  }

  static HotNode load(JanusGraphTransaction tx, String soul) {
    JanusGraphVertex vertex = findBySoul(tx, soul);
    if (vertex == null) {
      return HotNode.ABSENT;
    }
    StoredEntries stored = StoredEntries.of(vertex);
    return new HotNode(vertex.id(), stored.entries(), stored.legacyRecord());
  }

  static JanusGraphVertex findBySoul(JanusGraphTransaction tx, String soul) {
    Iterator<JanusGraphVertex> found =
        tx.query().has(JanusBackend.SOUL, soul).limit(1).vertices().iterator();
    return found.hasNext() ? found.next() : null;
  }

  static JanusGraphVertex findMeta(JanusGraphTransaction tx, String metaKeyValue) {
    Iterator<JanusGraphVertex> found =
        tx.query().has(JanusBackend.META_KEY, metaKeyValue).limit(1)
            .vertices().iterator();
    return found.hasNext() ? found.next() : null;
  }

  static Map<String, FieldEntry> entriesOf(Vertex vertex) {
    return StoredEntries.of(vertex).entries();
  }

  /** The persisted dot counter and causal context, or null if the store is new. */
  Meta loadMeta() {
    JanusGraphTransaction tx = graph.buildTransaction().readOnly().start();
    try {
      JanusGraphVertex meta = findMeta(tx, metaKeyValue);
      if (meta == null || !meta.property(JanusBackend.META_CONTEXT).isPresent()) {
        return null;
      }
      String text = meta.value(JanusBackend.META_CONTEXT);
      return new Meta(EntryCodec.readCounter(text), EntryCodec.readContext(text));
    } finally {
      tx.rollback();
    }
  }

  /** The store's dot counter and the dots it has seen. */
  record Meta(long counter, CausalContext context) {}
}
