package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.NodeScripts.gun;
import static io.soulgraph.relay.it.NodeScripts.httpUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Node;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.p2p.Libp2pConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays federated only by libp2p ({@code --bootstrap}, no {@code --peer}): real {@code gun}
 * clients on either side, catch-up of data written before the relays met, isolation of networks,
 * and a partition healed between three relays. Everything on loopback; every wait bounded.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class Libp2pFederationIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path temp;

  private static String soul(String what) {
    return "p2p/" + what + "/" + UUID.randomUUID();
  }

  static RelayConfig relay(String network, Path dataDir, String... bootstrap) {
    StoreConfig storage = dataDir == null ? StoreConfig.inMemory() : StoreConfig.berkeleyJe(dataDir);
    return new RelayConfig("127.0.0.1", 0, storage, List.of(), GunLimits.defaults())
        .withLibp2p(new Libp2pConfig(true, 0, network, List.of(bootstrap), false));
  }

  static String address(Relay relay) {
    return relay.libp2p().addresses().get(0);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Not within " + PATIENCE + ": " + what);
      }
      Thread.sleep(100);
    }
  }

  static void awaitSyncStream(Relay... relays) throws InterruptedException {
    for (Relay relay : relays) {
      await("a sync stream at " + relay.libp2p().peerId(),
          () -> relay.libp2p().federation().syncStreams() > 0);
    }
  }

  static void write(Relay relay, String soul, String json) throws Exception {
    JsonNode ack = gun(httpUrl(relay.gunUrl()), "put", soul, json);
    assertEquals(true, ack.path("ack").path("ok").asBoolean(), ack.toString());
  }

  /** Reads soul.key with fresh gun clients until it has the value. */
  static void awaitValue(Relay relay, String soul, String key, String expected) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonNode last;
    do {
      last = gun(httpUrl(relay.gunUrl()), "once", soul, key);
      if (expected.equals(last.path("value").asText(null))) {
        return;
      }
      Thread.sleep(300);
    } while (System.nanoTime() < deadline);
    fail("Expected " + soul + "." + key + " = " + expected + " at " + relay.gunUrl()
        + " but read " + last);
  }

  @Test
  void gunClients_writeOnA_areReadOnB_andLiveOnFires() throws Exception {
    NodeScripts.dir();
    try (Relay a = Relay.start(relay("default", null));
        Relay b = Relay.start(relay("default", null, address(a)))) {
      awaitSyncStream(a, b);
      String soul = soul("live");
      write(a, soul, "{\"k\":\"one\"}");
      awaitValue(b, soul, "k", "one");
      try (NodeScripts.Running on =
          NodeScripts.start("gun-client.js", "on", httpUrl(b.gunUrl()), soul, "k", "2")) {
        assertEquals("one", on.line(1, PATIENCE).path("value").asText());
        write(a, soul, "{\"k\":\"two\"}");
        assertEquals("two", on.line(2, PATIENCE).path("value").asText());
      }
      String back = soul("back");
      write(b, back, "{\"k\":\"from-b\"}");
      awaitValue(a, back, "k", "from-b");
    }
  }

  @Test
  void aGetForASoulTheRelayLacks_isAskedOfItsLibp2pPeers_answeredStoredAndServed()
      throws Exception {
    NodeScripts.dir();
    try (Relay a = Relay.start(relay("default", null))) {
      String soul = soul("asked");
      write(a, soul, "{\"k\":\"only on a\"}");
      try (Relay b = Relay.start(relay("default", null, address(a)))) {
        awaitSyncStream(a, b);
        // B may already hold it by catch-up (anti-entropy races the get); either way a gun
        // client on B is served A's write and B stores it. Forwarding alone: SyncCoreTest.
        awaitValue(b, soul, "k", "only on a");
        await("B stored the answer", () -> b.store().node(soul).isPresent());
        assertEquals(a.store().node(soul), b.store().node(soul));
      }
    }
  }

  @Test
  void dataWrittenBeforeTheRelaysMet_reachesTheNewcomerByCatchUp() throws Exception {
    NodeScripts.dir();
    try (Relay a = Relay.start(relay("default", null))) {
      List<String> souls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String soul = soul("early");
        souls.add(soul);
        write(a, soul, "{\"n\":\"" + i + "\",\"when\":\"before\"}");
      }
      try (Relay b = Relay.start(relay("default", null, address(a)))) {
        // Nobody asks B for these souls: only anti-entropy can bring them.
        for (String soul : souls) {
          await("B's store has " + soul + " by catch-up", () -> b.store().node(soul).isPresent());
          assertEquals(a.store().node(soul), b.store().node(soul));
        }
        awaitValue(b, souls.get(4), "n", "4");
        assertTrue(b.metrics().count("soulgraph.catchup.rounds") >= 1, "B counts its round");
        assertTrue(a.metrics().count("soulgraph.catchup.updates.sent") >= 10,
            "A counts the 10 field states it sent");
        assertTrue(b.metrics().count("soulgraph.catchup.updates.received") >= 10,
            "B counts the 10 field states it received");
      }
    }
  }

  @Test
  void relaysOfDifferentNetworks_exchangeNothing_evenThroughARelayBetweenThem() throws Exception {
    NodeScripts.dir();
    try (Relay a = Relay.start(relay("a", null));
        Relay middle = Relay.start(relay("b", null, address(a)));
        Relay c = Relay.start(relay("a", null, address(middle)))) {
      await("all connected", () -> middle.libp2p().connectedPeers().size() == 2);
      String soul = soul("isolated");
      write(a, soul, "{\"k\":\"only-a\"}");
      write(middle, soul, "{\"other\":\"only-b\"}");
      Thread.sleep(3000);
      JsonNode atMiddle = gun(httpUrl(middle.gunUrl()), "once", soul, "k");
      JsonNode atC = gun(httpUrl(c.gunUrl()), "once", soul, "k");
      assertTrue(atMiddle.path("missing").asBoolean(), "network b got a's data: " + atMiddle);
      assertTrue(atC.path("missing").asBoolean(), "a's data crossed network b: " + atC);
      assertEquals(Optional.empty(), middle.store().node(soul).map(n -> n.fields().get("k")));
      assertEquals(Optional.empty(), c.store().node(soul));
      assertEquals(Optional.empty(), a.store().node(soul).map(n -> n.fields().get("other")));
    }
  }

  @Test
  void threeRelays_partitionedAndHealed_endIdentical() throws Exception {
    NodeScripts.dir();
    Path cDir = temp.resolve("c");
    try (Relay a = Relay.start(relay("default", temp.resolve("a")));
        Relay b = Relay.start(relay("default", temp.resolve("b"), address(a)))) {
      String shared = soul("shared");
      String onlyA = soul("a");
      String onlyB = soul("b");
      String onlyC = soul("c");
      try (Relay c = Relay.start(relay("default", cDir, address(a), address(b)))) {
        awaitSyncStream(a, b, c);
        write(a, shared, "{\"f1\":\"base\",\"f2\":\"base\",\"f3\":\"base\"}");
        for (Relay r : List.of(a, b, c)) {
          await("base everywhere", () -> r.store().node(shared).isPresent());
        }
      }
      // C is down: A and B write.
      write(a, shared, "{\"f1\":\"a-side\",\"f2\":\"a\"}");
      write(a, onlyA, "{\"x\":\"a\"}");
      write(b, shared, "{\"f3\":\"b\"}");
      write(b, onlyB, "{\"x\":\"b\"}");
      // C runs alone on its data, in a network of its own, and writes conflicting values.
      try (Relay c = Relay.start(relay("alone", cDir))) {
        write(c, shared, "{\"f1\":\"c-side\",\"f3\":\"c\"}");
        write(c, onlyC, "{\"x\":\"c\"}");
      }
      write(a, shared, "{\"f2\":\"a-last\"}");
      // Heal.
      try (Relay c = Relay.start(relay("default", cDir, address(a), address(b)))) {
        List<String> souls = List.of(shared, onlyA, onlyB, onlyC);
        await("identical state on all three", () -> {
          Map<String, Optional<Node>> atA = nodes(a, souls);
          return atA.values().stream().allMatch(Optional::isPresent)
              && atA.equals(nodes(b, souls)) && atA.equals(nodes(c, souls));
        });
        Map<String, Optional<Node>> atA = nodes(a, souls);
        assertEquals(atA, nodes(b, souls));
        assertEquals(atA, nodes(c, souls));
        Node merged = atA.get(shared).orElseThrow();
        assertEquals("\"c-side\"", merged.field("f1").value().toString(), merged.toString());
        assertEquals("\"a-last\"", merged.field("f2").value().toString(), merged.toString());
        assertEquals("\"c\"", merged.field("f3").value().toString(), merged.toString());
        for (Relay r : List.of(a, b, c)) {
          awaitValue(r, onlyC, "x", "c");
          awaitValue(r, shared, "f1", "c-side");
        }
      }
    }
  }

  private static Map<String, Optional<Node>> nodes(Relay relay, List<String> souls) {
    Map<String, Optional<Node>> nodes = new LinkedHashMap<>();
    souls.forEach(soul -> nodes.put(soul, relay.store().node(soul)));
    return nodes;
  }
}
