package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two relays' sync cores, each on its own store, connected in memory: right after the handshake
 * each sends the other exactly what it lacks, in acknowledged batches of at most 500 writes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class AntiEntropyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static void write(SoulStore store, String soulPrefix, int souls, int fields)
      throws Exception {
    double state = System.currentTimeMillis() - 10_000;
    for (int s = 0; s < souls; s++) {
      Node node = Node.empty(soulPrefix + s);
      for (int f = 0; f < fields; f++) {
        node = node.with("f" + f, Value.of(soulPrefix + s + "/" + f), state);
      }
      store.put(Graph.of(node), null).get(30, TimeUnit.SECONDS);
    }
  }

  private static void awaitField(SoulStore store, String soul, String field) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (store.field(soul, field).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never arrived: " + soul + "." + field);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void peersAfterPartition_exchangeExactlyWhatTheyLack_inAcknowledgedBatches() throws Exception {
    try (SoulStore a = SoulStores.open(StoreConfig.inMemory());
        SoulStore b = SoulStores.open(StoreConfig.inMemory());
        SyncCore coreA = new SyncCore(a, GunLimits.defaults(), new RelayMetrics(), "pa");
        SyncCore coreB = new SyncCore(b, GunLimits.defaults(), new RelayMetrics(), "pb")) {
      write(a, "onlyA/", 120, 10); // 1,200 writes: three batches
      write(b, "onlyB/", 3, 5);
      Session[] link = MemoryLink.connect(coreA, Role.GUN_RELAY, coreB, Role.CLIENT);
      for (int s = 0; s < 120; s++) {
        awaitField(b, "onlyA/" + s, "f9");
      }
      awaitField(a, "onlyB/2", "f4");
      assertEquals(Role.SOULGRAPH_PEER, link[0].role());
      assertEquals(Role.SOULGRAPH_PEER, link[1].role());
      assertEquals(Optional.of("\"onlyA/57/3\""),
          b.field("onlyA/57", "f3").map(fs -> fs.value().json()));

      MemoryLink aToB = (MemoryLink) link[0].link();
      int batches = 0;
      int updates = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (batches < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        batches = 0;
        updates = 0;
        for (String frame : aToB.frames()) {
          JsonNode message = JSON.readTree(frame);
          if ("batch".equals(message.path("ae").asText())) {
            int size = 0;
            for (JsonNode soul : message.path("dots")) {
              size += soul.size();
            }
            assertTrue(size <= AntiEntropy.MAX_BATCH, "batch of " + size);
            updates += size;
            batches++;
          }
        }
      }
      assertEquals(1200, updates, "exactly what b lacked, each write once");
      assertEquals(4, batches, "three batches of writes, then the closing context");
      ((MemoryLink) link[0].link()).shutdown();
      ((MemoryLink) link[1].link()).shutdown();
    }
  }

  @Test
  void peerOfAnotherNetwork_getsNoAntiEntropy() throws Exception {
    try (SoulStore a = SoulStores.open(StoreConfig.inMemory());
        SoulStore b = SoulStores.open(StoreConfig.inMemory());
        SyncCore coreA = new SyncCore(a, GunLimits.defaults(), new RelayMetrics(), "pa");
        SyncCore coreB = new SyncCore(b, GunLimits.defaults(), new RelayMetrics(), "pb",
            "other", io.soulgraph.relay.sea.UserSpaceValidator.withDefaultPool(b::node))) {
      write(a, "secret/", 1, 1);
      Session[] link = MemoryLink.connect(coreA, Role.GUN_RELAY, coreB, Role.CLIENT);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(link[0].ended() && link[1].ended()) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(link[0].ended() || link[1].ended(), "the mismatch ends the connection");
      Thread.sleep(300);
      assertTrue(b.node("secret/0").isEmpty(), "nothing crossed networks");
      ((MemoryLink) link[0].link()).shutdown();
      ((MemoryLink) link[1].link()).shutdown();
    }
  }
}
