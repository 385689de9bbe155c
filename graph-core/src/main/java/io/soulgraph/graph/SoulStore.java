package io.soulgraph.graph;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The soul graph: soul-addressed nodes stored in TinkerPop (JanusGraph), merged by HAM. Open one
 * with {@link SoulStores#open(StoreConfig)}. Thread-safe.
 *
 * <p>Durability: a returned future completes only after the accepted fields are committed to the
 * backend. Concurrent puts share one transaction (group commit). Reads never wait for commits of
 * other souls.
 */
public interface SoulStore extends AutoCloseable {

  /**
   * Validates the whole diff, resolves it with HAM against the stored fields, commits what was
   * accepted, holds what is ahead of the clock (applied, committed and announced to listeners when
   * its time comes), and completes with what changed.
   *
   * @param diff the fields to merge
   * @param origin an opaque tag passed on to {@link ChangeListener}s (e.g. the connection it came
   *     from), or {@code null}
   * <p>Never throws (but for a null argument): every failure arrives through the future, and the
   * future always completes, whatever fails (a listener included). It fails only with
   * <ul>
   *   <li>{@link InvalidDiffException}: the diff breaks the data model; nothing applied. The store
   *       is the one place that checks the data model's rules;
   *   <li>{@link PutRefusedException}: the put is over a {@link StoreConfig.Bounds bound} (a node
   *       too wide, no room to defer its future fields); nothing applied;
   *   <li>{@link StoreBusyException}: the write queue is full or the store is closing; nothing
   *       applied, send it again later;
   *   <li>{@link StoreException}: the backend failed (nothing of the batch applied) or the writer
   *       stopped for good.
   * </ul>
   * Anything else is a bug in the store.
   *
   * @return completes after commit
   */
  CompletableFuture<PutResult> put(Graph diff, Object origin);

  /**
   * Stores one piece of a bigger put, as {@link #put} does. The caller hands a big put over in
   * small pieces so that other puts wait for at most one piece: while other puts are being
   * written the store commits each piece in a commit of its own, and lets other puts queued
   * behind a piece go first, once; while nobody else writes it commits consecutive pieces
   * together, so a big put alone costs no more commits than whole.
   */
  default CompletableFuture<PutResult> putPiece(Graph piece, Object origin) {
    return put(piece, origin);
  }

  /**
   * The order in which a caller that splits a wide node into pieces ({@link #putPiece}) should
   * hand its fields over: fields the store keeps together come together, so that each piece's
   * commit rewrites little of what the node already holds. Any order stores the same; by default
   * the store keeps no fields together, and every order costs alike.
   */
  default Comparator<String> pieceOrder() {
    return (a, b) -> 0;
  }

  /**
   * Makes ready, off the writer, what a later {@link #put} of {@code diff} needs first (the
   * schema of field names the store has never seen), so that the put holds the writer, and the
   * other puts queued behind it, for less time. Optional: a put that was not prepared is stored
   * all the same. The future never fails; it completes when the preparation has ended, done or
   * not (a put made before then is correct too, only slower).
   */
  default CompletableFuture<Void> prepare(Graph diff) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Checks a diff against the data model as {@link #put} does, without storing anything: a caller
   * that hands a diff over in several puts checks it whole first, so that an invalid diff applies
   * nothing.
   *
   * @throws InvalidDiffException if the diff breaks the data model
   * @throws PutRefusedException if a node of it is wider than the store allows
   */
  void validate(Graph diff);

  /**
   * Writes waiting for the writer (queued, not yet in a commit), for a relay's {@code /metrics}:
   * how far behind the writer is. Read without locking; a momentary value.
   */
  int queuedWrites();

  /** Bytes (estimated) of the writes counted by {@link #queuedWrites()}. */
  long queuedWriteBytes();

  /**
   * Why the store cannot commit now, or empty when it can: the last commit failed and none has
   * succeeded since (an idle store probes the backend about once a second), or the writer stopped
   * for good. Puts fail while it is present; a health check should report it.
   */
  Optional<String> failure();

  /**
   * The node with all its fields (tombstones included), or empty if the soul is unknown.
   *
   * @throws StoreException when the backend cannot be read
   */
  Optional<Node> node(String soul);

  /**
   * One field of a node, or empty if the soul or the field is unknown.
   *
   * @throws StoreException when the backend cannot be read
   */
  Optional<FieldState> field(String soul, String field);

  /**
   * Registers a listener for every accepted change, including deferred fields when they land.
   *
   * @return call {@code close()} to unsubscribe
   */
  AutoCloseable subscribe(ChangeListener listener);

  /** This store's replica id: it names the {@link io.soulgraph.ham.Dot}s of writes it accepts. */
  String replicaId();

  /**
   * The dots this store has seen: what it sends a peer to start anti-entropy, and (taken before
   * opening its {@link #missingFor} cursor) what it sends with the last batch it streams. See
   * {@link io.soulgraph.ham.Replica} for the exchange.
   */
  CausalContext context();

  /**
   * The stored writes whose dot the peer with {@code remote} has not seen, read as the batches
   * are taken: at most {@code maxBatch} at a time, memory bounded by the batch however large the
   * store. Take {@link #context()} before opening it. The cursor holds a read transaction: close
   * it (closing the store closes it too). Its {@code next()} fails with {@link StoreException} if
   * the backend does.
   *
   * @throws StoreException if the backend cannot be read
   * @throws IllegalArgumentException if {@code maxBatch < 1}
   */
  UpdateCursor missingFor(CausalContext remote, int maxBatch);

  /**
   * Applies one batch of writes a peer found missing here, committing before the future
   * completes; with the stream's last batch, takes over the peer's context unless a write it
   * names is held here for the future (a held write is not yet seen). Fails as {@link #put}
   * does: {@link PutRefusedException} (nothing of the batch applied) if its future writes do not
   * fit the deferral area.
   *
   * @param batch writes from the peer's cursor, with their dots
   * @param senderContext the peer's context with the last batch (taken before it opened the
   *     cursor), null with the others
   * @param origin an opaque tag (the peer's session) passed on to {@link ChangeListener}s with
   *     what the batch changed, and whose share of the deferral area its future writes count
   *     against (as a put's origin); or {@code null}
   */
  CompletableFuture<PutResult> applyAntiEntropy(List<Update> batch, CausalContext senderContext,
      Object origin);

  /** {@link #applyAntiEntropy(List, CausalContext, Object)} with no origin. */
  default CompletableFuture<PutResult> applyAntiEntropy(List<Update> batch,
      CausalContext senderContext) {
    return applyAntiEntropy(batch, senderContext, null);
  }

  /**
   * The stored graph as graph tooling reads it (the embedded Gremlin Server's {@code g}): one
   * vertex per soul with its fields, an edge per link, nothing of the store's own data. Read-only:
   * a mutating step, {@code io()}, a graph computer or {@code tx()} is refused, and those
   * strategies cannot be removed. A caller outside a Gremlin Server ends its read with {@code
   * getGraph().tx().rollback()}.
   */
  org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource
      readOnlyTraversal();

  /**
   * Everything the backend holds, read-only with the same refusals: the metadata vertex and each
   * node's HAM record ({@code %ham}) included. For operators; see {@code docs/data-model.md}.
   */
  org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource
      readOnlyInternals();

  /** The state of the storage behind this store: commits failing, cluster nodes up or down. */
  BackendStatus backendStatus();

  /** Commits what is pending, stops the deferral timer, and closes the backend. */
  @Override
  void close();
}
