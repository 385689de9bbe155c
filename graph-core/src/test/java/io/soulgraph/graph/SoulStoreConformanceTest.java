package io.soulgraph.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import io.soulgraph.ham.Value;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every backend must show, written once; subclasses open the backend. Nodes, links,
 * tombstones, name escaping, the change feed, deferral and validation.
 */
@Timeout(120)
abstract class SoulStoreConformanceTest {

  static final long NOW = 1_795_287_911_420L;

  protected final ManualTicker ticker = new ManualTicker(NOW + 10_000);
  protected SoulStore store;

  /** The configuration of a fresh, empty store of the backend under test. */
  protected abstract StoreConfig config() throws Exception;

  protected SoulStore open(ManualTicker ticker) throws Exception {
    return SoulStores.open(config(), ticker);
  }

  @BeforeEach
  void openStore() throws Exception {
    store = open(ticker);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static Graph diff(String soul, String field, Value value, double state) {
    return Graph.of(Node.empty(soul).with(field, value, state));
  }

  PutResult put(Graph diff) throws Exception {
    return store.put(diff, "test").get(30, TimeUnit.SECONDS);
  }

  /** Runs a Gremlin read in a fresh transaction, as a Gremlin Server request would. */
  <T> T gremlin(Function<GraphTraversalSource, T> read) {
    try {
      return read.apply(store.readOnlyTraversal());
    } finally {
      store.readOnlyTraversal().getGraph().tx().rollback();
    }
  }

  List<Object> values(String soul, String key) {
    return gremlin(g -> g.V().has("soul", soul).values(key).toList());
  }

  List<Object> linked(String soul, String label, String key) {
    return gremlin(g -> g.V().has("soul", soul).out(label).values(key).toList());
  }

  long outEdges(String soul) {
    return gremlin(g -> g.V().has("soul", soul).outE().count().next());
  }

  @Test
  void put_newFields_readBackFromStoreAndGremlin() throws Exception {
    Node alice = Node.empty("alice").with("name", Value.of("Alice"), NOW)
        .with("age", Value.of(42), NOW).with("admin", Value.TRUE, NOW);
    PutResult result = put(Graph.of(alice));

    assertEquals(3, result.accepted().fieldCount());
    assertEquals(Optional.of(alice), store.node("alice"));
    assertEquals(Optional.of(new FieldState(Value.of(42), NOW)), store.field("alice", "age"));
    assertEquals(List.of("Alice"), values("alice", "name"));
    assertEquals(List.of(42.0), values("alice", "age"));
    assertEquals(Optional.empty(), store.node("nobody"));
    assertEquals(Optional.empty(), store.field("alice", "nope"));
  }

  @Test
  void put_link_createsEdgeToBareTargetFollowedByGremlin() throws Exception {
    put(diff("alice", "friend", Value.link("bob"), NOW));

    assertEquals(Value.link("bob"), store.field("alice", "friend").orElseThrow().value());
    assertEquals(List.of("bob"), linked("alice", "friend", "soul"));
    assertEquals(Optional.empty(), store.node("bob"));

    put(diff("bob", "name", Value.of("Bob"), NOW));
    assertEquals(List.of("Bob"), linked("alice", "friend", "name"));
    assertEquals(1L, (long) gremlin(g -> g.V().has("soul", "bob").count().next()));
  }

  @Test
  void put_fieldSwitchesBetweenLinkAndPrimitive_replacesEdgeAndProperty() throws Exception {
    put(diff("a", "x", Value.link("b"), NOW));
    put(diff("a", "x", Value.of("plain"), NOW + 1));
    assertEquals(0L, outEdges("a"));
    // 'x' is already an edge label, and JanusGraph shares one namespace: the property is '%:x'
    assertEquals(List.of("plain"), values("a", "%:x"));

    put(diff("a", "x", Value.link("c"), NOW + 2));
    assertEquals(List.of(), values("a", "%:x"));
    assertEquals(List.of("c"), linked("a", "x", "soul"));
  }

  @Test
  void put_primitiveOverPrimitive_gremlinSeesOnlyTheLatestValue() throws Exception {
    // the writer overwrites a primitive's property without removing it first (no read): the
    // stored cell must be replaced, never doubled, whatever the value's type
    put(Graph.of(Node.empty("p").with("v", Value.of("one"), NOW).with("w", Value.of(1), NOW)));
    put(diff("p", "v", Value.of(2), NOW + 1));
    put(diff("p", "v", Value.TRUE, NOW + 2));
    assertEquals(List.of(true), values("p", "v"));
    assertEquals(List.of(1.0), values("p", "w"));

    put(diff("p", "v", Value.of("last"), NOW + 3));
    assertEquals(List.of("last"), values("p", "v"));
    assertEquals(1L, (long) gremlin(g -> g.V().has("soul", "p").properties("v").count().next()));

    put(diff("p", "v", Value.NULL, NOW + 4));
    assertEquals(List.of(), values("p", "v"));
    assertEquals(List.of(1.0), values("p", "w"));
  }

  @Test
  void put_tombstone_removesPropertyAndEdgeButKeepsState() throws Exception {
    put(Graph.of(Node.empty("a").with("n", Value.of(1), NOW).with("l", Value.link("b"), NOW)));
    put(Graph.of(Node.empty("a").with("n", Value.NULL, NOW + 1).with("l", Value.NULL, NOW + 1)));

    assertEquals(Optional.of(new FieldState(Value.NULL, NOW + 1)), store.field("a", "n"));
    assertEquals(Optional.of(new FieldState(Value.NULL, NOW + 1)), store.field("a", "l"));
    assertEquals(List.of(), values("a", "n"));
    assertEquals(0L, outEdges("a"));
    PutResult stale = put(diff("a", "n", Value.of(5), NOW));
    assertEquals(1, stale.historical());
    assertEquals(Value.NULL, store.field("a", "n").orElseThrow().value());
  }

  @Test
  void put_hamRules_historicalEqualAndTieBreak() throws Exception {
    put(diff("r", "hello", Value.of("world"), NOW));
    assertEquals(1, put(diff("r", "hello", Value.of("older"), NOW - 1000)).historical());
    assertEquals(1, put(diff("r", "hello", Value.of("aaa"), NOW)).historical());
    assertEquals(1, put(diff("r", "hello", Value.of("world"), NOW)).equal());
    assertEquals(1, put(diff("r", "hello", Value.of("zzz"), NOW)).accepted().fieldCount());
    assertEquals(Value.of("zzz"), store.field("r", "hello").orElseThrow().value());
  }

  @Test
  void put_nastyFieldNames_roundTripAndOrdinaryNamesStayPlain() throws Exception {
    List<String> names = List.of("name", "with space", "ünïcødé ☃", "soul", "SOUL", "key",
        "Label", "id", "value", "vertex", "edge", "element", "PROPERTY", "~tilde", "a~b",
        "{brace}", "q\"uote",
        "rec\u001esep", "%", "%25", "%!soul", "%ham", " ", "\t", "\u3000", "__", "#", ">", "a.b/c");
    Node node = Node.empty("nasty");
    Node links = Node.empty("nastylinks");
    for (String name : names) {
      node = node.with(name, Value.of("v:" + name), NOW);
      links = links.with(name, Value.link("target"), NOW);
    }
    put(Graph.of(node, links));

    assertEquals(Optional.of(node), store.node("nasty"));
    assertEquals(Optional.of(links), store.node("nastylinks"));
    assertEquals(List.of("v:name"), values("nasty", "name"));
    assertEquals(List.of("v:with space"), values("nasty", "with space"));
    assertEquals(List.of("nasty"), values("nasty", "soul"));
    assertEquals(names.size(), outEdges("nastylinks"));
  }

  @Test
  void subscribe_committedBatch_listenersGetAcceptedFieldsAndOrigin() throws Exception {
    List<Object[]> seen = new CopyOnWriteArrayList<>();
    AutoCloseable subscription = store.subscribe((changes, origin) -> seen.add(
        new Object[] {changes, origin}));
    put(diff("s", "f", Value.of(1), NOW));
    put(diff("s", "f", Value.of(0), NOW - 1)); // historical: no announcement
    subscription.close();
    put(diff("s", "f", Value.of(2), NOW + 1));

    assertEquals(1, seen.size());
    assertEquals(diff("s", "f", Value.of(1), NOW), seen.get(0)[0]);
    assertEquals("test", seen.get(0)[1]);
  }

  @Test
  void put_futureState_deferredUntilTheClockReachesIt() throws Exception {
    List<Object[]> seen = new CopyOnWriteArrayList<>();
    store.subscribe((changes, origin) -> seen.add(new Object[] {changes, origin}));
    double future = ticker.millis() + 3000;
    PutResult result = put(diff("d", "fut", Value.of("later"), future));

    assertEquals(1, result.deferred().fieldCount());
    assertEquals(0, result.accepted().fieldCount());
    Thread.sleep(200);
    assertEquals(Optional.empty(), store.field("d", "fut"));
    assertTrue(seen.isEmpty());

    ticker.advance(3000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.field("d", "fut").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(Value.of("later"), store.field("d", "fut").orElseThrow().value());
    Thread.sleep(50);
    assertEquals(1, seen.size());
    assertEquals(diff("d", "fut", Value.of("later"), future), seen.get(0)[0]);
    assertEquals(null, seen.get(0)[1]);
  }

  @Test
  void put_invalidDiff_rejectedWholeNamingSoulFieldReasonNothingApplied() throws Exception {
    Graph bad = Graph.of(Node.empty("ok").with("fine", Value.of(1), NOW),
        Node.empty("bad").with("_", Value.of(1), NOW));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> store.put(bad, null).get(10, TimeUnit.SECONDS));
    InvalidDiffException invalid = assertInstanceOf(InvalidDiffException.class, e.getCause());
    assertEquals("bad", invalid.soul());
    assertEquals("_", invalid.field());
    assertTrue(invalid.getMessage().contains("metadata"), invalid.getMessage());
    assertEquals(Optional.empty(), store.node("ok"));

    assertInstanceOf(InvalidDiffException.class, assertThrows(
        ExecutionException.class, () -> store.put(diff("", "f", Value.of(1), NOW), null).get())
        .getCause());
    assertInstanceOf(InvalidDiffException.class, assertThrows(
        ExecutionException.class, () -> store.put(diff("a", "", Value.of(1), NOW), null).get())
        .getCause());
    String longSoul = "x".repeat(4097);
    assertInstanceOf(InvalidDiffException.class, assertThrows(
        ExecutionException.class,
        () -> store.put(diff("a", "l", Value.link(longSoul), NOW), null).get()).getCause());
  }

  @Test
  void put_deferralAreaFull_rejectedWithClearErrorNothingApplied() throws Exception {
    StoreConfig c = config();
    StoreConfig tiny = new StoreConfig(c.backend(), c.dataDir(), c.cql(), c.hotIndexMaxBytes(),
        c.maxBatchPuts(), c.maxBatchDelay(), c.drift(), 2, c.maxSoulLength());
    try (SoulStore small = SoulStores.open(tiny, ticker)) {
      double future = ticker.millis() + 60_000;
      small.put(Graph.of(Node.empty("q").with("a", Value.of(1), future)
          .with("b", Value.of(1), future)), null).get(30, TimeUnit.SECONDS);
      Graph overflow = Graph.of(Node.empty("q").with("now", Value.of(1), NOW)
          .with("c", Value.of(1), future));
      ExecutionException e = assertThrows(
          ExecutionException.class, () -> small.put(overflow, null).get(30, TimeUnit.SECONDS));
      assertInstanceOf(PutRefusedException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("deferr"), e.getCause().getMessage());
      assertEquals(Optional.empty(), small.field("q", "now"));
    }
  }

  @Test
  void put_sameFieldTwiceInOneBatch_resolvesAsIfSequential() throws Exception {
    List<CompletableFuture<PutResult>> futures = List.of(
        store.put(diff("b", "f", Value.of("new"), NOW + 1), null),
        store.put(diff("b", "f", Value.of("old"), NOW), null),
        store.put(diff("b", "f", Value.of("new"), NOW + 1), null));
    assertEquals(1, futures.get(0).get().accepted().fieldCount());
    assertEquals(1, futures.get(1).get().historical());
    assertEquals(1, futures.get(2).get().equal());
    assertEquals(Value.of("new"), store.field("b", "f").orElseThrow().value());
  }

  @Test
  void applyAntiEntropy_futureWrite_heldWithoutClaimingItsDotUntilItLands() throws Exception {
    List<Object[]> seen = new CopyOnWriteArrayList<>();
    store.subscribe((changes, origin) -> seen.add(new Object[] {changes, origin}));
    Dot dot = new Dot("peer", 1);
    double future = ticker.millis() + 60_000;
    CausalContext sender = new CausalContext();
    sender.add(dot);
    PutResult result = store.applyAntiEntropy(List.of(new Update("y", "a",
        new FieldState(Value.of("soon"), future), dot)), sender).get(30, TimeUnit.SECONDS);

    assertEquals(1, result.deferred().fieldCount());
    assertFalse(store.context().contains(dot));
    ticker.advance(60_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // A graph read may see the field a moment before the context claims its dot (claiming late
    // is safe, claiming early is not) and before subscribers hear of it, so wait for all three.
    while ((store.field("y", "a").isEmpty() || !store.context().contains(dot) || seen.isEmpty())
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(Value.of("soon"), store.field("y", "a").orElseThrow().value());
    assertTrue(store.context().contains(dot));
    assertEquals(dot, AntiEntropyStreams.all(store.missingFor(new CausalContext(), 1), 1).stream()
        .filter(u -> u.soul().equals("y")).findFirst().orElseThrow().dot());
    assertEquals(null, seen.get(seen.size() - 1)[1]);
  }

  @Test
  void antiEntropy_twoStores_convergeAndContextsCoverEachOther() throws Exception {
    try (SoulStore other = open(ticker)) {
      put(diff("x", "a", Value.of(1), NOW));
      other.put(diff("x", "b", Value.of(2), NOW), null).get();
      other.put(diff("x", "a", Value.of(3), NOW + 1), null).get();

      AntiEntropyStreams.pull(store, other, 1);
      AntiEntropyStreams.pull(other, store, 1);

      assertEquals(store.node("x").map(n -> Map.copyOf(n.fields())),
          other.node("x").map(n -> Map.copyOf(n.fields())));
      assertEquals(Value.of(3), store.field("x", "a").orElseThrow().value());
      assertEquals(store.context(), other.context());
      assertTrue(AntiEntropyStreams.all(store.missingFor(other.context(), 5), 5).isEmpty());
      assertFalse(store.replicaId().equals(other.replicaId()));
    }
  }

  @Test
  void missingFor_manyNodes_boundedBatchesHandOutEachMissingWriteOnce() throws Exception {
    for (int i = 0; i < 40; i++) {
      put(Graph.of(Node.empty("n" + i).with("a", Value.of(i), NOW).with("b", Value.of(-i), NOW)));
    }
    CausalContext peer = new CausalContext();
    AntiEntropyStreams.all(store.missingFor(new CausalContext(), 100), 100).stream()
        .filter(u -> u.field().equals("a")).forEach(u -> peer.add(u.dot()));
    List<Update> missing = AntiEntropyStreams.all(store.missingFor(peer, 7), 7);
    assertEquals(40, missing.size());
    assertTrue(missing.stream().allMatch(u -> u.field().equals("b")));
    assertEquals(40, missing.stream().map(Update::soul).distinct().count());
  }

  /**
   * A receiver that catches up batch by batch, in whatever order the store hands out its writes,
   * ends with a context that is a version vector covering them all, and never claims a dot it has
   * not received.
   */
  @Test
  void missingFor_writesOfManyCommits_receiverEndsWithAVectorAndNoCloud() throws Exception {
    int souls = 300;
    for (int from = 0; from < souls; from += 50) {
      Node[] nodes = new Node[50];
      for (int k = 0; k < nodes.length; k++) {
        nodes[k] = Node.empty("s" + (from + k)).with("n", Value.of(from + k), NOW);
      }
      put(Graph.of(nodes));
    }
    try (SoulStore receiver = open(ticker);
        UpdateCursor cursor = store.missingFor(new CausalContext(), 20)) {
      Set<Dot> received = new HashSet<>();
      for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
        receiver.applyAntiEntropy(batch, null).get(30, TimeUnit.SECONDS);
        batch.forEach(u -> received.add(u.dot()));
        CausalContext seen = receiver.context();
        for (long n = 1; n <= souls; n++) {
          Dot dot = new Dot(store.replicaId(), n);
          assertEquals(received.contains(dot), seen.contains(dot), dot.toString());
        }
      }
      assertEquals(souls, receiver.context().vector().get(store.replicaId()));
      assertEquals(Set.of(), receiver.context().cloud(), "dots left out of the vector");
      assertEquals(Value.of(souls - 1), receiver.field("s" + (souls - 1), "n").orElseThrow()
          .value());
    }
  }

  @Test
  void applyAntiEntropy_writeHeldFromAnEarlierBatch_senderContextNotTakenOver() throws Exception {
    Dot held = new Dot("peer", 1);
    Dot applied = new Dot("peer", 2);
    CausalContext sender = new CausalContext();
    sender.add(held);
    sender.add(applied);
    PutResult first = store.applyAntiEntropy(List.of(new Update("y", "a",
        new FieldState(Value.of("later"), ticker.millis() + 60_000), held)), null)
        .get(30, TimeUnit.SECONDS);
    assertEquals(1, first.deferred().fieldCount());
    store.applyAntiEntropy(List.of(new Update("y", "b", new FieldState(Value.of("now"), NOW),
        applied)), sender).get(30, TimeUnit.SECONDS);
    assertTrue(store.context().contains(applied));
    assertFalse(store.context().contains(held), "claimed a write held for the future");
  }

  @Test
  void applyAntiEntropy_futureWritesOverTheDeferralArea_refusedWholeNothingApplied()
      throws Exception {
    StoreConfig c = config();
    StoreConfig tiny = new StoreConfig(c.backend(), c.dataDir(), c.cql(), c.hotIndexMaxBytes(),
        c.maxBatchPuts(), c.maxBatchDelay(), c.drift(), 1, c.maxSoulLength());
    try (SoulStore small = SoulStores.open(tiny, ticker)) {
      double future = ticker.millis() + 60_000;
      List<Update> batch = List.of(
          new Update("q", "now", new FieldState(Value.of(0), NOW), new Dot("peer", 1)),
          new Update("q", "a", new FieldState(Value.of(1), future), new Dot("peer", 2)),
          new Update("q", "b", new FieldState(Value.of(2), future), new Dot("peer", 3)));
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> small.applyAntiEntropy(batch, null).get(30, TimeUnit.SECONDS));
      assertInstanceOf(PutRefusedException.class, e.getCause());
      assertEquals(Optional.empty(), small.field("q", "now"));
      assertFalse(small.context().contains(new Dot("peer", 1)));
    }
  }

  @Test
  void missingFor_openCursor_closedWithTheStore() throws Exception {
    put(diff("z", "a", Value.of(1), NOW));
    put(diff("w", "a", Value.of(1), NOW));
    try (SoulStore other = open(ticker)) {
      other.put(diff("z", "a", Value.of(1), NOW), null).get(30, TimeUnit.SECONDS);
      other.put(diff("w", "a", Value.of(1), NOW), null).get(30, TimeUnit.SECONDS);
      io.soulgraph.ham.UpdateCursor cursor = other.missingFor(new CausalContext(), 1);
      assertEquals(1, cursor.next().size());
      other.close();
      assertEquals(List.of(), cursor.next());
    }
  }
}
