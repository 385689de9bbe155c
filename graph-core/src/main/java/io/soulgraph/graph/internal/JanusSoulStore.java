package io.soulgraph.graph.internal;

import io.soulgraph.graph.BackendStatus;
import io.soulgraph.graph.ChangeListener;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.StateClock;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.janusgraph.core.JanusGraph;

/** The {@link SoulStore} on JanusGraph: a hot index for reads, one writer thread for commits. */
public final class JanusSoulStore implements SoulStore {

  private static final long CLOSE_WAIT_SECONDS = 30;

  private final StoreConfig config;
  private final StateClock clock;
  private final JanusGraph graph;
  private final GraphReads reads;
  private final HotIndex hot;
  private final SoulFilter souls;
  private final String replicaId;
  private final String metaKeyValue;
  private final DiffValidator validator;
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final SchemaDeclarer schema;
  private final SchemaPreparer preparer;
  private final GroupCommitter committer;
  private final Thread writerThread;
  private final Set<MissingCursor> openCursors = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private volatile long counter;
  private volatile CausalContext context;

  private final Duration commitTimeout;

  private JanusSoulStore(StoreConfig config, Ticker ticker, JanusGraph graph, String replicaId,
      Duration commitTimeout) {
    this.config = config;
    this.commitTimeout = commitTimeout;
    this.clock = new StateClock(ticker);
    this.graph = graph;
    this.metaKeyValue = JanusBackend.metaKeyValue(config.shared(), replicaId);
    // Only a lone store knows every soul, and only if it knows those on disk: a store that never
    // committed (no metadata vertex yet: every commit writes it) holds none. A store opened on
    // existing data would need a scan of its souls first; a background scan slowed concurrent
    // cold reads badly in a first measurement, so such a store looks souls up as before.
    GraphReads.Meta meta = new GraphReads(graph, metaKeyValue, null, false).loadMeta();
    this.souls = config.shared() || meta != null ? null : new SoulFilter();
    this.reads = new GraphReads(graph, metaKeyValue, souls, !config.shared());
    this.hot = new HotIndex(config.hotIndexMaxBytes(), reads::load);
    this.replicaId = replicaId;
    this.validator = new DiffValidator(config.maxSoulLength(), config.bounds().maxNodeFields());
    this.counter = meta == null ? 0 : meta.counter();
    this.context = meta == null ? new CausalContext() : meta.context();
    this.schema = new SchemaDeclarer(graph, config.shared(), meta == null);
    this.preparer = new SchemaPreparer(graph, schema, replicaId);
    this.committer = new GroupCommitter(this);
    this.writerThread = new Thread(committer, "soulgraph-writer-" + replicaId);
    writerThread.setDaemon(true);
    writerThread.setUncaughtExceptionHandler((thread, error) -> {
      committer.die(error);
      Thread.UncaughtExceptionHandler fallback = Thread.getDefaultUncaughtExceptionHandler();
      if (fallback != null) {
        fallback.uncaughtException(thread, error); // e.g. the relay exits on OutOfMemoryError
      }
    });
  }

  /** Opens the store {@code config} describes, with {@code ticker} as the machine clock. */
  public static JanusSoulStore open(StoreConfig config, Ticker ticker) {
    return open(config, ticker, UnaryOperator.identity());
  }

  /** As {@link #open(StoreConfig, Ticker)}, the opened graph wrapped (fault-injection tests). */
  static JanusSoulStore open(StoreConfig config, Ticker ticker, UnaryOperator<JanusGraph> wrap) {
    return open(config, ticker, wrap, config.commitTimeout());
  }

  /** As {@link #open(StoreConfig, Ticker, UnaryOperator)}, with another commit timeout. */
  static JanusSoulStore open(StoreConfig config, Ticker ticker, UnaryOperator<JanusGraph> wrap,
      Duration commitTimeout) {
    Objects.requireNonNull(ticker, "ticker");
    String replicaId = ReplicaIds.loadOrCreate(config.dataDir());
    JanusGraph graph = wrap.apply(JanusBackend.open(config));
    try {
      JanusSoulStore store = new JanusSoulStore(config, ticker, graph, replicaId,
          commitTimeout);
      store.writerThread.start();
      return store;
    } catch (RuntimeException e) {
      graph.close();
      throw e instanceof StoreException se ? se : new StoreException("Could not open the store", e);
    }
  }

  @Override
  public CompletableFuture<PutResult> put(Graph diff, Object origin) {
    return put(diff, origin, false);
  }

  @Override
  public CompletableFuture<PutResult> putPiece(Graph piece, Object origin) {
    return put(piece, origin, true);
  }

  private CompletableFuture<PutResult> put(Graph diff, Object origin, boolean piece) {
    Objects.requireNonNull(diff, "diff");
    CompletableFuture<PutResult> future = new CompletableFuture<>();
    try {
      validator.validate(diff);
      committer.submit(new WriteTask.Put(diff, origin, future, System.nanoTime(), piece));
    } catch (RuntimeException e) { // InvalidDiffException, PutRefusedException, or a bug
      future.completeExceptionally(e);
    }
    return future;
  }

  /**
   * By entry bucket: a commit rewrites the whole bucket of each field it changes, which on a node
   * of 16,000 fields holds about 16 of them, so pieces in the fields' own order rewrote each
   * bucket once per piece that touched it.
   */
  @Override
  public Comparator<String> pieceOrder() {
    return FieldNames.BY_ENTRY_BUCKET;
  }

  @Override
  public CompletableFuture<Void> prepare(Graph diff) {
    return preparer.prepare(Objects.requireNonNull(diff, "diff"));
  }

  @Override
  public Optional<String> failure() {
    return Optional.ofNullable(committer.failure());
  }

  @Override
  public Optional<Node> node(String soul) {
    HotNode node = committed(Objects.requireNonNull(soul, "soul"));
    return node.fields().isEmpty() ? Optional.empty() : Optional.of(node.toNode(soul));
  }

  @Override
  public Optional<FieldState> field(String soul, String field) {
    FieldEntry entry = committed(Objects.requireNonNull(soul, "soul")).fields().get(field);
    return entry == null ? Optional.empty() : Optional.of(entry.fieldState());
  }

  /**
   * A soul's committed state. On a shared cluster other relays write too, so the hot index may
   * be behind: reads go to the cluster (the index only remembers what this relay announced).
   */
  private HotNode committed(String soul) {
    try {
      return config.shared() ? reads.load(soul) : hot.get(soul);
    } catch (org.janusgraph.core.JanusGraphException backend) {
      // e.g. no Cassandra node answers: the reader's problem to report, not a relay bug
      throw new StoreException("Expected to read soul '" + soul + "' but the backend failed: "
          + backend.getMessage(), backend);
    }
  }

  @Override
  public AutoCloseable subscribe(ChangeListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  @Override
  public String replicaId() {
    return replicaId;
  }

  @Override
  public CausalContext context() {
    return context.copy();
  }

  @Override
  public UpdateCursor missingFor(CausalContext remote, int maxBatch) {
    Objects.requireNonNull(remote, "remote");
    MissingCursor cursor = new MissingCursor(graph, remote, maxBatch, openCursors::remove);
    openCursors.add(cursor);
    if (closed) {
      cursor.close(); // raced close(): hand out nothing rather than a cursor on a closed graph
    }
    return cursor;
  }

  @Override
  public CompletableFuture<PutResult> applyAntiEntropy(
      List<Update> batch, CausalContext senderContext, Object origin) {
    Objects.requireNonNull(batch, "batch");
    CompletableFuture<PutResult> future = new CompletableFuture<>();
    try {
      List<Update> updates = List.copyOf(batch);
      CausalContext sender = senderContext == null ? null : senderContext.copy();
      validator.validate(updates);
      committer.submit(
          new WriteTask.AntiEntropy(updates, sender, origin, future, System.nanoTime()));
    } catch (RuntimeException e) { // InvalidDiffException, or a bug
      future.completeExceptionally(e);
    }
    return future;
  }

  @Override
  public ReadOnlyTraversalSource readOnlyTraversal() {
    return ReadOnlyTraversalSource.userView(graph);
  }

  @Override
  public ReadOnlyTraversalSource readOnlyInternals() {
    return ReadOnlyTraversalSource.internals(graph);
  }

  @Override
  public void validate(Graph diff) {
    validator.validate(diff);
  }

  @Override
  public int queuedWrites() {
    return committer.queuedWrites();
  }

  @Override
  public long queuedWriteBytes() {
    return committer.queuedWriteBytes();
  }

  @Override
  public BackendStatus backendStatus() {
    return new BackendStatus(config.backend().name().toLowerCase(Locale.ROOT),
        committer.failure(), JanusBackend.clusterNodes(graph));
  }

  /** How many deferred fields are held (approximate while the writer runs). */
  public int deferredCount() {
    return committer.deferredCount();
  }

  /** Estimated bytes of the deferred fields held (approximate while the writer runs). */
  public long deferredBytes() {
    return committer.deferredBytes();
  }

  /** Estimated bytes the hot index holds. */
  public long hotIndexBytes() {
    return hot.weightedBytes();
  }

  @Override
  public void close() {
    closed = true;
    for (MissingCursor cursor : openCursors) {
      cursor.close();
    }
    preparer.close();
    committer.close();
    try {
      writerThread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    committer.failRemaining();
    reads.close();
    if (graph.isOpen()) {
      graph.close();
    }
  }

  /** How long a put may wait for its commit before its writer gets an error. */
  Duration commitTimeout() {
    return commitTimeout;
  }

  StoreConfig config() {
    return config;
  }

  String metaKeyValue() {
    return metaKeyValue;
  }

  StateClock clock() {
    return clock;
  }

  JanusGraph graph() {
    return graph;
  }

  /** Declares field names; the writer and the preparer share it. */
  SchemaDeclarer schema() {
    return schema;
  }

  /** The souls that have a vertex; null on a shared cluster. */
  SoulFilter souls() {
    return souls;
  }

  HotIndex hot() {
    return hot;
  }

  List<ChangeListener> listeners() {
    return listeners;
  }

  long counter() {
    return counter;
  }

  CausalContext contextRef() {
    return context;
  }

  /**
   * Publishes a commit's counter and context. The writer calls it after each commit and before
   * the hot index takes the commit's changes, so reads begun from now on see the commit.
   */
  void publish(long newCounter, CausalContext newContext) {
    reads.committed();
    counter = newCounter;
    context = newContext;
  }
}
