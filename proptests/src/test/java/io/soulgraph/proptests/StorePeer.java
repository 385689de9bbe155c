package io.soulgraph.proptests;

import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.StateClock;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A peer backed by a real {@link SoulStore} (JanusGraph in memory, its writer thread, group
 * commit, deferral queue and anti-entropy cursor), driven synchronously: every call waits for its
 * commit. Writes arrive as a co-located client's puts, stamped causally like
 * {@link io.soulgraph.ham.Replica#write} (or, for the canary, with the plain clock); writes from
 * peers arrive with their dots as one-write anti-entropy batches, the store's path for dotted
 * writes. Its drift is at least 1 ms, so that its own writes, stamped up to a few ε past the
 * millisecond, are not deferred by its own HAM.
 */
final class StorePeer implements Peer<Update>, SyncPeer, AutoCloseable {

  private static final long WAIT_SECONDS = 30;

  private final String id;
  private final SoulStore store;
  private final StateClock clock;
  private final boolean causalStamps;
  private final Set<Dot> decided = new HashSet<>();
  private long lost;

  private StorePeer(String id, Ticker ticker, double drift, boolean causalStamps) {
    this.id = id;
    StoreConfig c = StoreConfig.inMemory();
    this.store = SoulStores.open(new StoreConfig(c.backend(), c.dataDir(), c.cql(),
        c.hotIndexMaxBytes(), c.maxBatchPuts(), c.maxBatchDelay(), Math.max(1, drift),
        c.deferredCapacity(), c.maxSoulLength(), c.bounds()), ticker);
    this.clock = new StateClock(ticker);
    this.causalStamps = causalStamps;
  }

  /** Opens store peers and closes every one it opened (a scenario's network) on request. */
  static final class Factory implements Peer.Factory<Update> {
    private final double drift;
    private final boolean causalStamps;
    private final List<Peer<Update>> opened = new ArrayList<>();
    private final boolean mixed;

    private Factory(double drift, boolean causalStamps, boolean mixed) {
      this.drift = drift;
      this.causalStamps = causalStamps;
      this.mixed = mixed;
    }

    @Override
    public Peer<Update> create(String peerId, Ticker ticker) {
      // mixed: the even peers are stores, the odd ones replicas (p0, the star's hub, a store)
      Peer<Update> peer = mixed && opened.size() % 2 == 1
          ? new HamPeer(peerId, ticker, drift)
          : new StorePeer(peerId, ticker, drift, causalStamps);
      opened.add(peer);
      return peer;
    }

    /** Closes the stores opened so far. */
    void closeAll() {
      for (Peer<Update> peer : opened) {
        if (peer instanceof StorePeer store) {
          store.close();
        }
      }
      opened.clear();
    }
  }

  /** Store peers that stamp causally, as a Soulgraph writer does. */
  static Factory factory(double drift) {
    return new Factory(drift, true, false);
  }

  /** Stores and replicas alternating in one network. */
  static Factory mixedWithReplicas(double drift) {
    return new Factory(drift, true, true);
  }

  /** The canary: store peers whose writers stamp with their clock alone. */
  static Factory plainStamps(double drift) {
    return new Factory(drift, false, false);
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Expected the store to commit", e);
    }
  }

  @Override
  public Update write(String soul, String field, Value value) {
    FieldState current = field(soul, field);
    double state = !causalStamps || current == null ? clock.next()
        : clock.stampAfter(current.state());
    FieldState written = new FieldState(value, state);
    PutResult result = await(store.put(Graph.of(new Node(soul, Map.of(field, written))), null));
    Dot dot;
    if (result.accepted().field(soul, field) != null) {
      // the store's own dots are contiguous and this write took the latest
      dot = new Dot(store.replicaId(), store.context().vector().get(store.replicaId()));
      decided.add(dot);
    } else {
      dot = new Dot(id + "/lost", ++lost); // a plain-stamped write that lost here: send it anyway
    }
    return new Update(soul, field, written, dot);
  }

  @Override
  public void receive(Update update) {
    PutResult result = await(store.applyAntiEntropy(List.of(update), null));
    if (result.deferred().isEmpty()) {
      decided.add(update.dot());
    }
  }

  @Override
  public void releaseDue() {
    // the writer releases what is due before each batch it commits: give it one, and wait
    await(store.applyAntiEntropy(List.of(), null));
  }

  @Override
  public FieldState field(String soul, String field) {
    return store.field(soul, field).orElse(null);
  }

  @Override
  public Graph snapshot() {
    Map<String, Map<String, FieldState>> sorted = new TreeMap<>();
    try (UpdateCursor all = store.missingFor(new CausalContext(), 64)) {
      for (List<Update> batch = all.next(); !batch.isEmpty(); batch = all.next()) {
        batch.forEach(u -> sorted.computeIfAbsent(u.soul(), s -> new TreeMap<>())
            .put(u.field(), u.fieldState()));
      }
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    sorted.forEach((soul, fields) -> nodes.put(soul, new Node(soul, fields)));
    return new Graph(nodes);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CausalContext context() {
    return store.context();
  }

  @Override
  public UpdateCursor missingFor(CausalContext remote, int maxBatch) {
    return store.missingFor(remote, maxBatch);
  }

  @Override
  public void applyAntiEntropy(List<Update> batch, CausalContext senderContext) {
    await(store.applyAntiEntropy(batch, senderContext));
  }

  @Override
  public Set<Dot> decided() {
    return decided;
  }

  @Override
  public void close() {
    store.close();
  }
}
