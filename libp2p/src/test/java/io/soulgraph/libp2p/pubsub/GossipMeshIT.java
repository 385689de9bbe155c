package io.soulgraph.libp2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.testing.JsGossipPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Five Java hosts and three js-libp2p nodes on one topic. The Java hosts use a small mesh
 * (D_lo=2, D=3, D_hi=4) so that they really prune and graft with eight peers around. Every
 * message reaches every subscriber; after one Java host and one js node are killed, the rest
 * re-mesh and keep delivering.
 */
@Timeout(180)
final class GossipMeshIT {
  private static final String TOPIC = "mesh";
  private static final Duration DELIVERY = Duration.ofSeconds(30);
  private final List<Host> hosts = new ArrayList<>();
  private final List<Gossip> gossips = new ArrayList<>();
  private final List<Set<String>> javaReceived = new ArrayList<>();
  private final List<JsGossipPeer> js = new ArrayList<>();
  private final Map<JsGossipPeer, Set<String>> jsReceived = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    hosts.forEach(Host::close);
    js.forEach(JsGossipPeer::close);
  }

  @Test
  void fiveJavaThreeJs_everyMessageReachesEveryone_andSurvivesTwoKilled() throws Exception {
    // A short backoff after our own PRUNEs, so pruned peers may be grafted again in test time.
    GossipConfig small = GossipConfig.defaults().withDegree(2, 3, 4)
        .withPruneBackoff(Duration.ofSeconds(3));
    for (int i = 0; i < 5; i++) {
      Gossip g = new Gossip(small);
      Host h = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").service(g).build();
      Set<String> got = ConcurrentHashMap.newKeySet();
      g.subscribe(TOPIC, m -> got.add(new String(m.data(), StandardCharsets.UTF_8)));
      gossips.add(g);
      hosts.add(h);
      javaReceived.add(got);
      for (int j = 0; j < i; j++) {
        h.dial(hosts.get(j).listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      }
    }
    for (int k = 0; k < 3; k++) {
      JsGossipPeer p = JsGossipPeer.start();
      js.add(p);
      jsReceived.put(p, ConcurrentHashMap.newKeySet());
      p.subscribe(TOPIC);
      for (int j = 1; j <= 3; j++) { // js k dials Java 1..3 (not 0: killing it must not isolate)
        p.dial(hosts.get((k + j - 1) % 4 + 1).listenAddresses().get(0));
      }
    }
    awaitMeshes();

    round("r1", List.of(0, 1, 2, 3, 4), js);

    hosts.get(0).close();
    js.get(0).close();
    List<Integer> alive = List.of(1, 2, 3, 4);
    List<JsGossipPeer> jsAlive = List.of(js.get(1), js.get(2));
    jsReceived.remove(js.get(0));
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    for (int i : alive) { // the survivors notice and graft replacements within a few heartbeats
      while (true) {
        int mesh = gossips.get(i).meshPeers(TOPIC).size();
        int known = gossips.get(i).topicPeers(TOPIC).size();
        if (mesh >= Math.min(2, known) && mesh <= 4 && known >= 3) {
          break;
        }
        assertTrue(System.nanoTime() < deadline,
            "Java " + i + " re-meshed to " + mesh + " of " + known + " topic peers");
        Thread.sleep(100);
      }
    }
    round("r2", alive, jsAlive);
  }

  private void awaitMeshes() throws InterruptedException {
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    for (Gossip g : gossips) {
      while (g.meshPeers(TOPIC).size() < 2) {
        assertTrue(System.nanoTime() < deadline, "a Java host never meshed 2 peers");
        Thread.sleep(100);
      }
    }
    Thread.sleep(2_000); // js grafts from its own heartbeat
  }

  /** Every live node publishes one message; every other live node must receive all of them. */
  private void round(String round, List<Integer> javaAlive, List<JsGossipPeer> jsAlive)
      throws Exception {
    Set<String> expected = new HashSet<>();
    for (int i : javaAlive) {
      String text = round + "-java-" + i;
      expected.add(text);
      gossips.get(i).publish(TOPIC, text.getBytes(StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS);
    }
    for (int k = 0; k < jsAlive.size(); k++) {
      String text = round + "-js-" + js.indexOf(jsAlive.get(k));
      expected.add(text);
      jsAlive.get(k).publish(TOPIC, text);
    }
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    for (JsGossipPeer p : jsAlive) {
      Set<String> got = jsReceived.get(p);
      Set<String> want = new HashSet<>(expected);
      want.remove(round + "-js-" + js.indexOf(p));
      while (!got.containsAll(want)) {
        long left = deadline - System.nanoTime();
        assertTrue(left > 0, "js " + js.indexOf(p) + " got " + got + ", expected " + want);
        Map<String, Object> m = p.nextMessage(Duration.ofNanos(left));
        got.add((String) m.get("data"));
      }
    }
    for (int i : javaAlive) {
      Set<String> want = new HashSet<>(expected);
      want.remove(round + "-java-" + i);
      while (!javaReceived.get(i).containsAll(want)) {
        assertTrue(System.nanoTime() < deadline,
            "Java " + i + " got " + javaReceived.get(i) + ", expected " + want);
        Thread.sleep(50);
      }
    }
  }
}
