package io.soulgraph.graph.internal;

import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;

/**
 * The stored writes a peer lacks, read vertex by vertex in one read-only transaction and handed
 * out in counter order (by replica, then counter), read ahead up to {@link #READ_AHEAD_BYTES} of
 * them at a time: the scan is lazy and the transaction's vertex cache is small, so memory is
 * bounded by the read-ahead (plus one node's fields), however large the store.
 *
 * <p>Why counter order: the store's vertex order is unrelated to the dots, and a receiver's
 * context keeps every dot that arrives ahead of a gap out of its vector, in its cloud, until the
 * gap closes; in vertex order nearly every dot of a long stream waited there, and the receiver
 * paid for that cloud with every commit. In counter order each replica's dots extend the vector
 * as they come, except after a write the sender no longer holds (superseded): those wait for the
 * sender's context at the end of the stream. The price: nothing is sent until the first chunk
 * is read, so the receiver waits for the sender's scan instead of overlapping it. A gap wider than
 * the read-ahead is sorted chunk by chunk, and as each chunk's counters spread over the whole gap,
 * the receiver's cloud then grows as it did in vertex order. BerkeleyJE reads at
 * READ_COMMITTED, so the open transaction holds no locks on what it has passed; still, close the
 * cursor when done. Methods are synchronized only so that the store's {@code close()} may close
 * it from another thread.
 */
final class MissingCursor implements UpdateCursor {

  /** Vertices the scan's transaction keeps cached (it needs none of them again). */
  private static final int VERTEX_CACHE = 64;

  /**
   * The most estimated heap bytes of missing writes read ahead and sorted: 100,000 small writes
   * (about 200 bytes each) fit in one chunk.
   */
  static final long READ_AHEAD_BYTES = 32L << 20;

  /** Each replica's dots together, in counter order. */
  private static final Comparator<Update> COUNTER_ORDER =
      Comparator.comparing((Update u) -> u.dot().replica())
          .thenComparingLong(u -> u.dot().counter());

  private final JanusGraphTransaction tx;
  private final Iterator<Vertex> vertices;
  private final CausalContext remote;
  private final int maxBatch;
  private final Consumer<MissingCursor> onClose;
  private final long readAheadBytes;
  private Iterator<Update> restOfNode = Collections.emptyIterator();
  private final Deque<Update> sorted = new ArrayDeque<>();
  private boolean scanned;
  private boolean closed;

  MissingCursor(JanusGraph graph, CausalContext remote, int maxBatch,
      Consumer<MissingCursor> onClose) {
    this(graph, remote, maxBatch, READ_AHEAD_BYTES, onClose);
  }

  /** As above, reading ahead up to {@code readAheadBytes} (tests of chunked sorting). */
  MissingCursor(JanusGraph graph, CausalContext remote, int maxBatch, long readAheadBytes,
      Consumer<MissingCursor> onClose) {
    this.readAheadBytes = readAheadBytes;
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
        if (sorted.isEmpty() && !scanned) {
          readAhead();
        }
        if (sorted.isEmpty()) {
          close();
          break;
        }
        batch.add(sorted.poll());
      }
    } catch (RuntimeException e) {
      close();
      throw new StoreException("Could not read the store for anti-entropy", e);
    }
    return batch;
  }

  /** Reads the next chunk of missing writes, up to the read-ahead bound, in counter order. */
  private void readAhead() {
    List<Update> chunk = new ArrayList<>();
    long bytes = 0;
    while (bytes < readAheadBytes) {
      if (restOfNode.hasNext()) {
        Update u = restOfNode.next();
        chunk.add(u);
        bytes += 2L * u.soul().length() + Weights.field(u.field(), u.fieldState());
      } else if (vertices.hasNext()) {
        restOfNode = missingOf(vertices.next());
      } else {
        scanned = true;
        break;
      }
    }
    chunk.sort(COUNTER_ORDER);
    sorted.addAll(chunk);
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
    sorted.clear();
    try {
      if (tx.isOpen()) {
        tx.rollback();
      }
    } finally {
      onClose.accept(this);
    }
  }
}
