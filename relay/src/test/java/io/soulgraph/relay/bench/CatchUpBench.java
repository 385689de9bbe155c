package io.soulgraph.relay.bench;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.p2p.Libp2pConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up over libp2p: relay A holds N updates (one field on each of N souls) written while B was
 * away; B starts with A as its only bootstrap peer, and the time until B's store has seen every
 * write of A (its causal context covers A's) is the catch-up time. No gossip carries them: only
 * anti-entropy over the sync stream.
 *
 * <p>Usage: {@code java -cp relay/target/test-classes:relay/target/soulgraph-relay.jar
 * io.soulgraph.relay.bench.CatchUpBench [storage: inmemory|berkeleyje] N...}
 */
public final class CatchUpBench {

  private static final int WRITE_BATCH = 500;

  public static void main(String[] args) throws Exception {
    String storage = args.length > 0 ? args[0] : "inmemory";
    for (int i = 1; i < Math.max(2, args.length); i++) {
      int updates = args.length > 1 ? Integer.parseInt(args[i]) : 10_000;
      run(storage, updates);
    }
    System.exit(0);
  }

  private static RelayConfig relay(String storage, Path dir, String... bootstrap) {
    StoreConfig store = storage.equals("berkeleyje")
        ? StoreConfig.berkeleyJe(dir) : StoreConfig.inMemory();
    return new RelayConfig("127.0.0.1", 0, store, List.of(), GunLimits.defaults())
        .withLibp2p(new Libp2pConfig(true, 0, "catchup", List.of(bootstrap), false));
  }

  private static void run(String storage, int updates) throws Exception {
    Path dirA = Files.createTempDirectory("catchup-a");
    Path dirB = Files.createTempDirectory("catchup-b");
    try (Relay a = Relay.start(relay(storage, dirA))) {
      long written = System.nanoTime();
      double state = System.currentTimeMillis() - 60_000;
      for (int from = 0; from < updates; from += WRITE_BATCH) {
        Node[] nodes = new Node[Math.min(WRITE_BATCH, updates - from)];
        for (int k = 0; k < nodes.length; k++) {
          String soul = "catchup/" + (from + k);
          nodes[k] = Node.empty(soul).with("n", Value.of(from + k), state);
        }
        a.store().put(Graph.of(nodes), null).get(120, TimeUnit.SECONDS);
      }
      double writeSeconds = (System.nanoTime() - written) / 1e9;
      String aId = a.store().replicaId();
      long aHas = a.store().context().vector().get(aId);
      long started = System.nanoTime();
      try (Relay b = Relay.start(relay(storage, dirB, a.libp2p().addresses().get(0)))) {
        long deadline = started + TimeUnit.MINUTES.toNanos(10);
        // B's context is copied only once its counter says every update arrived, and once a
        // second for its size: copies of a context holding many dots cost B's CPU
        int largestCloud = 0; // dots B has seen beyond its contiguous vector
        long lastLook = 0;
        while (true) {
          boolean allArrived = b.metrics().count("soulgraph.catchup.updates.received")
              >= updates;
          if (allArrived || System.nanoTime() - lastLook > 1_000_000_000L) {
            lastLook = System.nanoTime();
            io.soulgraph.ham.CausalContext seen = b.store().context();
            largestCloud = Math.max(largestCloud, seen.cloudSize());
            if (seen.vector().get(aId) >= aHas) {
              break;
            }
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("B did not catch up within 10 minutes");
          }
          Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String last = "catchup/" + (updates - 1);
        if (b.store().node(last).isEmpty()) {
          throw new IllegalStateException("B's context covers A's but it lacks " + last);
        }
        System.out.printf(Locale.ROOT,
            "catch-up %s %,d updates: %.1f s from B's start (%,.0f updates/s; A wrote them in"
                + " %.1f s; B's context held up to %,d dots out of order); load average %s%n",
            storage, updates, seconds, updates / seconds, writeSeconds, largestCloud,
            Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
      }
    }
  }
}
