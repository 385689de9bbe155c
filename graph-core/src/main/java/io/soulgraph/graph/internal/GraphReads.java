package io.soulgraph.graph.internal;

import io.soulgraph.ham.CausalContext;
import java.util.Iterator;
import java.util.Map;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;
import org.janusgraph.core.JanusGraphVertex;

/** Reads of the stored soul graph, each in a fresh read-only transaction unless one is given. */
final class GraphReads {

  private final JanusGraph graph;
  private final String metaKeyValue;
  private final SoulFilter souls;

  /** @param souls the souls that have a vertex, or null on a shared cluster */
  GraphReads(JanusGraph graph, String metaKeyValue, SoulFilter souls) {
    this.graph = graph;
    this.metaKeyValue = metaKeyValue;
    this.souls = souls;
  }

  /** The committed state of a soul ({@link HotNode#ABSENT} if it has no vertex). */
  HotNode load(String soul) {
    if (souls != null && souls.surelyAbsent(soul)) {
      return HotNode.ABSENT;
    }
    JanusGraphTransaction tx = graph.buildTransaction().readOnly().start();
    try {
      return load(tx, soul);
    } finally {
      tx.rollback();
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
