package io.soulgraph.relay.it;

import static io.soulgraph.relay.gremlin.GremlinDriver.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gremlin.GremlinConfig;
import io.soulgraph.relay.gremlin.GremlinDriver;
import io.soulgraph.relay.gremlin.NpmGremlinClient;
import io.soulgraph.relay.gun.GunFrames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What WebSocket clients put over /gun, graph tooling reads over Gremlin as soon as it is acked. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class GremlinOverGunIT {

  private static final double STATE = 1_700_000_000_000.0;
  private static Relay relay;
  private static GremlinDriver driver;
  private static GraphTraversalSource g;
  private static WireClient writer;

  @BeforeAll
  static void start() throws Exception {
    GremlinConfig gremlin =
        new GremlinConfig(true, "127.0.0.1", freePort(), Duration.ofSeconds(3));
    relay = Relay.start(RelayConfig.ephemeral().withGremlin(gremlin));
    writer = new WireClient(relay.gunUrl());
    driver = GremlinDriver.connect(gremlin.port());
    g = driver.g();
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.close();
    }
    if (writer != null) {
      writer.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  /** Puts fields (JSON texts) on a soul at one state and waits for the relay's ack. */
  private static void putAcked(String id, String soul, double state, Map<String, String> fields)
      throws Exception {
    writer.send(GunFrames.put(id, soul, state, fields));
    JsonNode ack = writer.replyTo(id);
    assertFalse(ack.has("err"), ack.toString());
  }

  @Test
  void ackedPut_isReadableThroughGremlinAtOnce() throws Exception {
    putAcked("g1", "gr/count/alice", STATE, Map.of(
        "name", "\"Alice\"", "age", "30", "friend", "{\"#\":\"gr/count/bob\"}", "gone", "null"));
    putAcked("g2", "gr/count/bob", STATE, Map.of("name", "\"Bob\""));

    assertEquals(List.of("Alice"), g.V().has("soul", "gr/count/alice").values("name").toList());
    assertEquals(List.of("Bob"),
        g.V().has("soul", "gr/count/alice").out("friend").values("name").toList());
    Map<Object, Object> map = g.V().has("soul", "gr/count/alice").valueMap().next();
    assertTrue(map.containsKey("age"), map.toString());
    assertFalse(map.containsKey("gone"), "a tombstone is not a value: " + map);
    assertEquals(2L, g.V().hasLabel("node").has("soul", org.apache.tinkerpop.gremlin.process
        .traversal.TextP.startingWith("gr/count/")).count().next());
  }

  @Test
  void tombstonedField_disappearsFromGremlin() throws Exception {
    putAcked("t1", "gr/carol", STATE, Map.of("name", "\"Carol\"", "city", "\"Oslo\""));
    assertEquals(List.of("Oslo"), g.V().has("soul", "gr/carol").values("city").toList());
    putAcked("t2", "gr/carol", STATE + 1, Map.of("city", "null"));
    assertEquals(List.of(), g.V().has("soul", "gr/carol").values("city").toList());
    assertEquals(List.of("Carol"), g.V().has("soul", "gr/carol").values("name").toList());
  }

  @Test
  void npmGremlinClient_readsWhatGunClientsWrote() throws Exception {
    putAcked("n1", "gr/dave", STATE, Map.of("name", "\"Dave\"", "pal", "{\"#\":\"gr/erin\"}"));
    putAcked("n2", "gr/erin", STATE, Map.of("name", "\"Erin\""));
    JsonNode out = NpmGremlinClient.query(relay.gremlinUrl().toString(), "gr/dave", "pal");
    assertEquals("[\"Dave\"]", out.at("/name/ok").toString(), out.toString());
    assertEquals("[\"gr/erin\"]", out.at("/linked/ok").toString(), out.toString());
    assertFalse(out.at("/edgeLabel/ok").isMissingNode(), "edges reach the npm client: " + out);
    assertTrue(out.at("/mutation/error").asText().contains("read only"), out.toString());
    assertEquals(0, out.at("/intruders/ok").asInt(), out.toString());
  }

  @Test
  void heavyTraversal_doesNotStopTheRelayServingWebSocketClients() throws Exception {
    putAcked("h1", "gr/loop1", STATE, Map.of("next", "{\"#\":\"gr/loop2\"}"));
    putAcked("h2", "gr/loop2", STATE, Map.of("next", "{\"#\":\"gr/loop1\"}"));
    CompletableFuture<Long> endless = CompletableFuture.supplyAsync(() -> g.V()
        .has("soul", "gr/loop1").repeat(__.out("next")).until(__.has("soul", "nowhere"))
        .count().next());
    Thread.sleep(500);
    assertFalse(endless.isDone(), "the endless traversal should still be running");
    long started = System.nanoTime();
    putAcked("h3", "gr/during", STATE, Map.of("still", "true"));
    writer.send("{\"#\":\"h4\",\"get\":{\"#\":\"gr/during\",\".\":\"still\"}}");
    assertEquals("true", writer.replyTo("h4").at("/put/gr~1during/still").toString());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2),
        "the relay answered slowly while Gremlin was busy");
    Exception timedOut = assertThrows(Exception.class,
        () -> endless.get(30, TimeUnit.SECONDS));
    assertTrue(String.valueOf(timedOut.getCause()).toLowerCase().contains("timeout"),
        String.valueOf(timedOut.getCause()));
  }

  @Test
  void mutationAttempt_isRefusedAndGunReadersSeeNoChange() throws Exception {
    putAcked("m1", "gr/frank", STATE, Map.of("name", "\"Frank\""));
    assertThrows(Exception.class,
        () -> g.V().has("soul", "gr/frank").property("name", "Mallory").iterate());
    writer.send("{\"#\":\"m2\",\"get\":{\"#\":\"gr/frank\",\".\":\"name\"}}");
    assertEquals("\"Frank\"", writer.replyTo("m2").at("/put/gr~1frank/name").toString());
    assertEquals(List.of("Frank"), g.V().has("soul", "gr/frank").values("name").toList());
  }
}
