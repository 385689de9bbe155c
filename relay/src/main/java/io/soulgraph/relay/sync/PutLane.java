package io.soulgraph.relay.sync;

import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One session's way into the store. The store's writer takes puts first come, first served, so a
 * put of 16,000 fields handed over whole makes every put queued behind it wait for all of it, and a
 * connection flooding puts fills the writer's queue ahead of everyone else. Here a put wider than
 * {@link #WHOLE_FIELDS} enters as {@linkplain SoulStore#putPiece pieces} of at most
 * {@link #PIECE_FIELDS} fields, and a session has at most {@code maxFieldsInStore} fields inside
 * the store (queued or committing) at a time; the next piece enters when one commits. While
 * others write, the store commits a piece at a time and lets their puts go between pieces; while
 * nobody else writes, it joins the pieces in the store into one commit. A flooding session waits
 * in its own lane. Thread-safe.
 */
final class PutLane {

  /**
   * The widest put that enters the store whole, and a client's share of the store: as many
   * one-field puts in the store as when pieces were 64 fields (a share of 32 cost a saturated
   * relay 6-14 % of its acked puts), and room for several pieces, which the store commits
   * together while nobody else writes.
   */
  static final int WHOLE_FIELDS = 64;

  /**
   * The most fields of one piece of a client's wider put ({@link Session#pieceFields}): what
   * another session's put waits for behind a big put, since the writer alternates between the
   * pieces and the others' puts. Beside a 16,000-soul put an honest client's put p99 was 16-28 ms
   * with pieces of 64, 11-23 ms with 32 and 6-10 ms with 8 (docs/benchmarks.md, fairness). New
   * field names are declared before a piece enters ({@code SoulStore.prepare}, for
   * {@link #WHOLE_FIELDS} at a time), so they do not add to it.
   */
  static final int PIECE_FIELDS = 8;

  /** A piece skipped because an earlier piece of its put failed or its session closed. */
  static final class Skipped extends RuntimeException {
    Skipped(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * One piece of a put waiting for its turn.
   *
   * @param graph the piece's fields
   * @param ready completes when the store may be handed the piece (its names are prepared); it
   *     never fails
   * @param store hands the piece to the store
   * @param done told how the piece ended (on the thread that completed it: the store's commit
   *     thread, or the caller's when refused at once); a skipped piece gets a {@link Skipped}
   * @param abandoned true once the piece should not enter any more (its put already failed)
   */
  record Piece(
      Graph graph,
      CompletableFuture<Void> ready,
      Function<Graph, CompletableFuture<PutResult>> store,
      BiConsumer<PutResult, Throwable> done,
      BooleanSupplier abandoned) {}

  private final ArrayDeque<Piece> waiting = new ArrayDeque<>();
  private int fieldsInStore;
  private int fieldsWaiting;
  private boolean closed;

  /**
   * Queues a piece; it enters the store now if the session has room within its share,
   * {@code maxFieldsInStore} (it depends on the session's role, known only after its handshake).
   */
  void offer(Piece piece, int maxFieldsInStore) {
    boolean refused;
    synchronized (this) {
      refused = closed;
      if (!refused) {
        waiting.add(piece);
        fieldsWaiting += piece.graph().fieldCount();
      }
    }
    if (refused) {
      piece.done().accept(null, new Skipped("the connection closed"));
      return;
    }
    if (!piece.ready().isDone()) { // it enters in its turn once prepared, and the ones behind it
      piece.ready().whenComplete((prepared, never) -> enterReady(maxFieldsInStore));
    }
    enterReady(maxFieldsInStore);
  }

  /** Fields of this session waiting to enter the store. */
  synchronized int fieldsWaiting() {
    return fieldsWaiting;
  }

  /** Fields of this session inside the store (queued there or committing). */
  synchronized int fieldsInStore() {
    return fieldsInStore;
  }

  /** The session ended: what waits is skipped, nothing more enters. */
  void close() {
    List<Piece> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(waiting);
      waiting.clear();
      fieldsWaiting = 0;
    }
    Skipped skipped = new Skipped("the connection closed");
    dropped.forEach(piece -> piece.done().accept(null, skipped));
  }

  private void enterReady(int maxFieldsInStore) {
    for (Piece next = take(maxFieldsInStore); next != null; next = take(maxFieldsInStore)) {
      enter(next, maxFieldsInStore);
    }
  }

  /**
   * The next piece, once it is ready and fits the session's share (one piece always fits an empty
   * share): the pieces go to the store in their order.
   */
  private synchronized Piece take(int maxFieldsInStore) {
    Piece next = waiting.peek();
    if (next == null || !next.ready().isDone()) {
      return null;
    }
    int fields = next.graph().fieldCount();
    if (fieldsInStore > 0 && fieldsInStore + fields > maxFieldsInStore) {
      return null;
    }
    waiting.poll();
    fieldsWaiting -= fields;
    fieldsInStore += fields;
    return next;
  }

  private void enter(Piece piece, int maxFieldsInStore) {
    int fields = piece.graph().fieldCount();
    if (piece.abandoned().getAsBoolean()) {
      release(fields);
      piece.done().accept(null, new Skipped("an earlier piece of this put failed"));
      return;
    }
    CompletableFuture<PutResult> committed;
    try {
      committed = piece.store().apply(piece.graph());
    } catch (RuntimeException refused) {
      committed = CompletableFuture.failedFuture(refused);
    }
    // the next piece enters as soon as this one is out of the store (on the commit thread, which
    // only queues it: the store answers it after its next commit, so others' puts go first)
    committed.whenComplete(
        (result, failure) -> {
          release(fields);
          try {
            piece.done().accept(result, failure);
          } finally {
            enterReady(maxFieldsInStore);
          }
        });
  }

  private synchronized void release(int fields) {
    fieldsInStore -= fields;
  }

  /**
   * How a put enters the store: whole up to {@link #WHOLE_FIELDS} fields; a wider one in parts of
   * that many, each prepared at once ({@code SoulStore.prepare}) and stored in pieces of the
   * session's {@link Session#pieceFields}. A node wider than a part has its fields in
   * {@code fieldOrder} first, the store's {@link SoulStore#pieceOrder}: in the order a client sent
   * them, each piece of a 16,000-field node rewrote as many of the node's stored entry buckets as
   * it had fields (docs/benchmarks.md, pieces in the store's order).
   */
  static List<Graph> parts(Graph put, Comparator<String> fieldOrder) {
    if (put.nodes().values().stream().noneMatch(node -> node.fields().size() > WHOLE_FIELDS)) {
      return split(put, WHOLE_FIELDS); // nothing to order: no copy of a put of many small nodes
    }
    Map<String, Node> ordered = new LinkedHashMap<>();
    for (Node node : put.nodes().values()) {
      ordered.put(node.soul(),
          node.fields().size() <= WHOLE_FIELDS ? node : inOrder(node, fieldOrder));
    }
    return split(new Graph(ordered), WHOLE_FIELDS);
  }

  private static Node inOrder(Node node, Comparator<String> fieldOrder) {
    List<String> names = new ArrayList<>(node.fields().keySet());
    names.sort(fieldOrder);
    Map<String, FieldState> fields = new LinkedHashMap<>();
    names.forEach(name -> fields.put(name, node.fields().get(name)));
    return new Node(node.soul(), fields);
  }

  /**
   * Splits a graph into pieces of at most {@code maxFields} fields, in the graph's order; a node
   * wider than that is split across pieces. A graph that fits is returned as it is.
   */
  static List<Graph> split(Graph graph, int maxFields) {
    if (graph.fieldCount() <= maxFields) {
      return List.of(graph);
    }
    List<Graph> pieces = new ArrayList<>();
    Map<String, Node> piece = new LinkedHashMap<>();
    int size = 0;
    for (Node node : graph.nodes().values()) {
      Map<String, FieldState> part = new LinkedHashMap<>();
      for (var field : node.fields().entrySet()) {
        if (size == maxFields) {
          if (!part.isEmpty()) {
            piece.put(node.soul(), new Node(node.soul(), part));
            part = new LinkedHashMap<>();
          }
          pieces.add(new Graph(piece));
          piece = new LinkedHashMap<>();
          size = 0;
        }
        part.put(field.getKey(), field.getValue());
        size++;
      }
      if (!part.isEmpty() || node.fields().isEmpty()) {
        piece.put(node.soul(), new Node(node.soul(), part));
      }
    }
    if (!piece.isEmpty()) {
      pieces.add(new Graph(piece));
    }
    return pieces;
  }
}
