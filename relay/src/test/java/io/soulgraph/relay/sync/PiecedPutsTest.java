package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Big puts and floods take turns with other sessions' puts ({@link PutLane}): driven through
 * {@link SyncCore} on the real in-memory store, watched through a store proxy that records what
 * enters the store and can fail a chosen put.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class PiecedPutsTest {

  private static final int PIECE = PutLane.PIECE_FIELDS;
  private static final int WHOLE = PutLane.WHOLE_FIELDS;

  private final RelayMetrics metrics = new RelayMetrics();
  private SoulStore real;
  private SyncCore core;
  /** The field counts of the puts the store was handed, in order, with their writer. */
  private final List<String> entered = java.util.Collections.synchronizedList(new ArrayList<>());
  /** The field names of the pieces the store was handed, in order. */
  private final List<String> pieceFieldNames =
      java.util.Collections.synchronizedList(new ArrayList<>());
  /** Per writer: the most of its fields inside the store at once. */
  private final Map<String, AtomicInteger> inStore = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> mostInStore = new ConcurrentHashMap<>();
  private volatile int failPutNumber = -1;
  private final AtomicInteger puts = new AtomicInteger();
  /** Every preparation the store is asked for ends only once this completes. */
  private volatile CompletableFuture<Void> preparationGate = CompletableFuture.completedFuture(null);

  @BeforeEach
  void open() {
    real = SoulStores.open(StoreConfig.inMemory());
    SoulStore watched = (SoulStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {SoulStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("put")) {
            return watchedPut((Graph) args[0], args[1], false);
          }
          if (method.getName().equals("putPiece")) {
            return watchedPut((Graph) args[0], args[1], true);
          }
          if (method.getName().equals("prepare")) {
            Graph diff = (Graph) args[0];
            entered.add("prepare:" + diff.fieldCount());
            return preparationGate.thenCompose(open -> real.prepare(diff));
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    core = new SyncCore(watched, GunLimits.defaults(), metrics, "pieces");
  }

  private CompletableFuture<PutResult> watchedPut(Graph diff, Object origin, boolean piece) {
    String writer = origin instanceof PutOrigin from ? from.writer().toString() : "?";
    int fields = diff.fieldCount();
    entered.add(writer + ":" + fields);
    if (piece) {
      diff.nodes().values().forEach(node -> pieceFieldNames.addAll(node.fields().keySet()));
    }
    int now = inStore.computeIfAbsent(writer, w -> new AtomicInteger()).addAndGet(fields);
    mostInStore.computeIfAbsent(writer, w -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    if (puts.incrementAndGet() == failPutNumber) {
      inStore.get(writer).addAndGet(-fields);
      return CompletableFuture.failedFuture(
          new StoreException("Expected the group commit to succeed", null));
    }
    return (piece ? real.putPiece(diff, origin) : real.put(diff, origin))
        .whenComplete((r, e) -> inStore.get(writer).addAndGet(-fields));
  }

  @AfterEach
  void close() throws Exception {
    core.close();
    real.close();
  }

  @Test
  void split_keepsEveryFieldOnce_inBoundedPieces_andSplitsAWideNode() {
    Map<String, Node> nodes = new LinkedHashMap<>();
    Node wide = Node.empty("wide");
    for (int i = 0; i < 1000; i++) {
      wide = wide.with("f" + i, Value.of(i), 1);
    }
    nodes.put("wide", wide);
    for (int i = 0; i < 300; i++) {
      nodes.put("s" + i, Node.empty("s" + i).with("v", Value.of(i), 1));
    }
    Graph graph = new Graph(nodes);
    List<Graph> pieces = PutLane.split(graph, PIECE);
    assertEquals((1300 + PIECE - 1) / PIECE, pieces.size());
    Graph joined = Graph.EMPTY;
    for (Graph piece : pieces) {
      assertTrue(piece.fieldCount() <= PIECE, "piece of " + piece.fieldCount());
      joined = joined.join(piece);
    }
    assertEquals(graph, joined);
    Graph small = Graph.of(Node.empty("x").with("a", Value.of(1), 1));
    assertEquals(List.of(small), PutLane.split(small, PIECE));
  }

  @Test
  void bigPut_entersInPieces_othersPutsGoBetween_andItsAckComesWhenAllIsStored()
      throws Exception {
    RecordingLink bigLink = new RecordingLink("big");
    RecordingLink otherLink = new RecordingLink("other");
    Session big = core.open(bigLink, Role.CLIENT);
    Session other = core.open(otherLink, Role.CLIENT);
    int fields = 8 * WHOLE;
    core.receive(big, soulsPut("bigput", "b", fields));
    core.receive(other, nodePut("small", "other", "v", 1));
    JsonNode smallAck = otherLink.await(replyTo("small"));
    assertEquals(1, smallAck.path("ok").asInt(), smallAck.toString());
    JsonNode bigAck = bigLink.await(replyTo("bigput"));
    assertEquals(1, bigAck.path("ok").asInt(), bigAck.toString());

    List<String> order = List.copyOf(entered);
    int otherAt = order.indexOf("other:1");
    assertTrue(otherAt >= 0 && otherAt < order.size() - 1,
        "the other put entered between the pieces: " + order);
    assertEquals(fields / PIECE, order.stream().filter(e -> e.startsWith("big:")).count(),
        order.toString());
    assertTrue(order.stream().filter(e -> e.startsWith("big:"))
        .allMatch(e -> e.equals("big:" + PIECE)), order.toString());
    assertTrue(mostInStore.get("big").get() <= WHOLE,
        "at most a client's share in the store at a time: " + mostInStore.get("big"));
    for (int s = 0; s < fields; s++) {
      assertTrue(real.node("b" + s).isPresent(), "all of it stored, b" + s);
    }
    core.close(big);
    core.close(other);
  }

  @Test
  void peersBigPut_entersInPiecesAsWideAsAClientsWholePut() throws Exception {
    RecordingLink peerLink = new RecordingLink("peer");
    Session peer = core.open(peerLink, Role.GUN_RELAY);
    int fields = 4 * WHOLE;
    core.receive(peer, soulsPut("peerput", "p", fields));
    JsonNode ack = peerLink.await(replyTo("peerput"));
    assertEquals(1, ack.path("ok").asInt(), ack.toString());
    List<String> pieces = entered.stream().filter(e -> e.startsWith("peer:")).toList();
    assertEquals(List.of("peer:" + WHOLE, "peer:" + WHOLE, "peer:" + WHOLE, "peer:" + WHOLE),
        pieces, "a peer's put is many writers' changes: its pieces stay as wide as a whole put");
    assertTrue(real.node("p" + (fields - 1)).isPresent(), "all of it stored");
    core.close(peer);
  }

  @Test
  void wideNode_entersInTheStoresPieceOrder_andIsStoredWhole() throws Exception {
    RecordingLink link = new RecordingLink("big");
    Session big = core.open(link, Role.CLIENT);
    core.receive(big, wideNodePut("wideput", "wide", 3 * WHOLE));
    assertEquals(1, link.await(replyTo("wideput")).path("ok").asInt());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 3 * WHOLE; i++) {
      sent.add("f" + i);
    }
    List<String> inStoreOrder = new ArrayList<>(sent);
    inStoreOrder.sort(real.pieceOrder());
    assertNotEquals(sent, inStoreOrder, "the store's order differs from the sent one");
    assertEquals(inStoreOrder, List.copyOf(pieceFieldNames),
        "fields the store keeps together enter together");
    assertEquals(3 * WHOLE, real.node("wide").orElseThrow().fields().size());
    core.close(big);
  }

  @Test
  void bigPut_hasEveryPiecePrepared_andAPieceEntersTheStoreOnlyOnceItsPreparationEnded()
      throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    preparationGate = gate;
    RecordingLink bigLink = new RecordingLink("big");
    RecordingLink smallLink = new RecordingLink("small");
    Session big = core.open(bigLink, Role.CLIENT);
    Session small = core.open(smallLink, Role.CLIENT);
    core.receive(big, wideNodePut("wideput", "wide", 3 * WHOLE));
    core.receive(small, nodePut("smallput", "small", "v", 1));
    JsonNode smallAck = smallLink.await(replyTo("smallput"));
    assertEquals(1, smallAck.path("ok").asInt(), "a small put is not prepared: " + smallAck);
    assertEquals(List.of("prepare:" + WHOLE, "prepare:" + WHOLE, "prepare:" + WHOLE, "small:1"),
        List.copyOf(entered), "the big put's pieces wait for their preparation");

    gate.complete(null);
    JsonNode bigAck = bigLink.await(replyTo("wideput"));
    assertEquals(1, bigAck.path("ok").asInt(), bigAck.toString());
    assertEquals(3 * WHOLE / PIECE, entered.stream().filter(e -> e.equals("big:" + PIECE)).count(),
        "" + entered);
    assertEquals(3 * WHOLE, real.node("wide").orElseThrow().fields().size());
    core.close(big);
    core.close(small);
  }

  @Test
  void pieceFailing_answersErrNamingWhatWasNotStored_andOffersNoLaterPiece() throws Exception {
    failPutNumber = 3;
    RecordingLink link = new RecordingLink("failing");
    Session writer = core.open(link, Role.CLIENT);
    core.receive(writer, soulsPut("manysouls", "n", 5 * WHOLE));
    JsonNode err = link.await(replyTo("manysouls"));
    String text = err.path("err").asText();
    assertTrue(text.startsWith("Stored " + 2 * PIECE + " of this put's " + 5 * WHOLE
        + " fields; not stored: " + (5 * WHOLE - 2 * PIECE) + " fields of 'n" + 2 * PIECE + "'"),
        text);
    assertTrue(text.contains("Storage failed"), text);
    assertEquals(3, puts.get(), "no piece offered after the failed one: " + entered);
    assertTrue(real.node("n0").isPresent(), "the first pieces stay stored");
    assertFalse(real.node("n" + (4 * WHOLE)).isPresent());
    assertFalse(writer.ended());
    core.close(writer);
  }

  @Test
  void invalidFieldInALaterPiece_appliesNothing() throws Exception {
    RecordingLink link = new RecordingLink("invalid");
    Session writer = core.open(link, Role.CLIENT);
    StringBuilder graph = new StringBuilder("{");
    long state = System.currentTimeMillis() - 1000;
    for (int s = 0; s < 3 * WHOLE; s++) {
      graph.append(s == 0 ? "" : ",").append(nodeJson("i" + s, "v", s, state));
    }
    String lastSoul = "i" + 3 * WHOLE;
    graph.append(",\"").append(lastSoul).append("\":{\"_\":{\"#\":\"").append(lastSoul)
        .append("\",\">\":{\"l\":").append(state).append("}},\"l\":{\"#\":\"\"}}}");
    core.receive(writer, "{\"#\":\"invalid\",\"put\":" + graph + "}");
    JsonNode err = link.await(replyTo("invalid"));
    assertTrue(err.path("err").isTextual(), err.toString());
    assertFalse(err.path("err").asText().startsWith("Stored"), err.toString());
    assertFalse(real.node("i0").isPresent(), "nothing of an invalid put is applied");
    assertEquals(List.of(), entered);
    core.close(writer);
  }

  @Test
  void flood_hasAtMostItsShareOfFieldsInTheStore_andAnotherSessionIsServedMeanwhile()
      throws Exception {
    RecordingLink floodLink = new RecordingLink("flood");
    RecordingLink honestLink = new RecordingLink("honest");
    Session flood = core.open(floodLink, Role.CLIENT);
    Session honest = core.open(honestLink, Role.CLIENT);
    int floodPuts = 600;
    for (int i = 0; i < floodPuts; i++) {
      core.receive(flood, wideNodePut("f" + i, "flood" + i, 4));
    }
    core.receive(honest, nodePut("h", "honest", "v", 1));
    String scraped = metrics.scrape();
    assertTrue(scraped.contains("soulgraph_sessions{role=\"client\"} 2.0"), scraped);
    assertTrue(gauge(scraped, "soulgraph_put_fields_waiting{role=\"client\"}") > 0, scraped);
    assertTrue(gauge(scraped, "soulgraph_puts_waiting{role=\"client\"}") > 0, scraped);
    assertTrue(scraped.contains("soulgraph_store_queued_writes "), scraped);
    assertTrue(scraped.contains("soulgraph_delivery_queue "), scraped);
    assertTrue(scraped.contains("soulgraph_outbound_queued_bytes{role=\"gun_relay\"} 0.0"), scraped);
    assertEquals(1, honestLink.await(replyTo("h")).path("ok").asInt());
    int honestAt = List.copyOf(entered).indexOf("honest:1");
    for (int i = 0; i < floodPuts; i++) {
      assertEquals(1, floodLink.await(replyTo("f" + i)).path("ok").asInt());
    }
    assertTrue(honestAt < entered.size() - 1, "the honest put did not wait for the whole flood: "
        + honestAt + " of " + entered.size());
    assertTrue(mostInStore.get("flood").get() <= PutLane.WHOLE_FIELDS,
        "flood's fields inside the store at once: "
        + mostInStore.get("flood"));
    for (int i = 0; i < floodPuts; i += 97) {
      assertEquals(4, real.node("flood" + i).orElseThrow().fields().size(), "acked, so stored");
    }
    core.close(flood);
    core.close(honest);
  }

  private static String wideNodePut(String id, String soul, int fields) {
    long state = System.currentTimeMillis() - 1000;
    StringBuilder states = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < fields; i++) {
      states.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(state);
      body.append(",\"f").append(i).append("\":").append(i);
    }
    return "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul
        + "\",\">\":{" + states + "}}" + body + "}}}";
  }

  /** A put of {@code count} souls prefix0.. of one field each. */
  private static String soulsPut(String id, String prefix, int count) {
    StringBuilder graph = new StringBuilder("{");
    long state = System.currentTimeMillis() - 1000;
    for (int s = 0; s < count; s++) {
      graph.append(s == 0 ? "" : ",").append(nodeJson(prefix + s, "v", s, state));
    }
    return "{\"#\":\"" + id + "\",\"put\":" + graph.append('}') + "}";
  }

  private static String nodePut(String id, String soul, String field, int value) {
    return "{\"#\":\"" + id + "\",\"put\":{" + nodeJson(soul, field, value,
        System.currentTimeMillis() - 1000) + "}}";
  }

  private static String nodeJson(String soul, String field, int value, long state) {
    return "\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"" + field + "\":" + state
        + "}},\"" + field + "\":" + value + "}";
  }

  private static double gauge(String scraped, String series) {
    return scraped.lines().filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + series + " in " + scraped));
  }

  private static Predicate<JsonNode> replyTo(String id) {
    return m -> id.equals(m.path("@").asText());
  }
}
