package io.soulgraph.graph.internal;

import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;

/**
 * The stored writes a peer lacks, read vertex by vertex in one read-only transaction as the
 * batches are taken: the scan is lazy and the transaction's vertex cache is small, so memory is
 * bounded by the batch (plus one node's fields), however large the store.
 *
 * <p>Writes come in the store's vertex order, unrelated to their dots, so a receiver holds most
 * dots of a long stream out of order in its context's cloud until the gaps close; the cloud is a
 * bitmap per replica ({@link CausalContext}), cheap to extend, copy and persist, so the stream
 * starts with the first vertex instead of waiting for a scan that would sort it (tried: sorting
 * up to 32 MiB of writes first was slower at 10,000 writes and no faster at 100,000, see
 * docs/benchmarks.md). BerkeleyJE reads at
 * READ_COMMITTED, so the open transaction holds no locks on what it has passed; still, close the
 * cursor when done. Methods are synchronized only so that the store's {@code close()} may close
 * it from another thread.
 */
final class MissingCursor implements UpdateCursor {

  /** Vertices the scan's transaction keeps cached (it needs none of them again). */
  private static final int VERTEX_CACHE = 64;

  private final JanusGraphTransaction tx;
  private final Iterator<Vertex> vertices;
  private final CausalContext remote;
  private final int maxBatch;
  private final Consumer<MissingCursor> onClose;
  private Iterator<Update> restOfNode = Collections.emptyIterator();
  private boolean closed;

  MissingCursor(JanusGraph graph, CausalContext remote, int maxBatch,
      Consumer<MissingCursor> onClose) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("Expected a batch of at least 1 but received " + maxBatch);
    }
    this.remote = remote.copy();
    this.maxBatch = maxBatch;
    this.onClose = onClose;
    this.tx = graph.buildTransaction().readOnly().vertexCacheSize(VERTEX_CACHE).start();
    try {
      this.vertices = tx.traversal().V().hasLabel(JanusBackend.NODE_LABEL);
    } catch (RuntimeException e) {
      tx.rollback();
      throw new StoreException("Could not read the store for anti-entropy", e);
    }
  }

  @Override
  public synchronized List<Update> next() {
    List<Update> batch = new ArrayList<>();
    if (closed) {
      return batch;
    }
    try {
      while (batch.size() < maxBatch) {
        if (restOfNode.hasNext()) {
          batch.add(restOfNode.next());
        } else if (vertices.hasNext()) {
          restOfNode = missingOf(vertices.next());
        } else {
          close();
          break;
        }
      }
    } catch (RuntimeException e) {
      close();
      throw new StoreException("Could not read the store for anti-entropy", e);
    }
    return batch;
  }

  private Iterator<Update> missingOf(Vertex vertex) {
    Map<String, FieldEntry> entries = GraphReads.entriesOf(vertex);
    if (entries.isEmpty()) {
      return Collections.emptyIterator();
    }
    String soul = vertex.value(JanusBackend.SOUL);
    List<Update> missing = new ArrayList<>();
    entries.forEach((field, entry) -> {
      if (!remote.contains(entry.dot())) {
        missing.add(entry.toUpdate(soul, field));
      }
    });
    return missing.iterator();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    restOfNode = Collections.emptyIterator();
    try {
      if (tx.isOpen()) {
        tx.rollback();
      }
    } finally {
      onClose.accept(this);
    }
  }
}
