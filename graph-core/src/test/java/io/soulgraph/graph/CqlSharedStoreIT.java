package io.soulgraph.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stores (two relays' worth: separate processes' state, separate replica ids) writing one
 * keyspace at once, racing to create the same new souls and to write the same fields with
 * conflicting values and tied states. Without locking, the unique soul index lets duplicate
 * vertices through and whole-record writes of {@code %ham} lose each other's fields.
 */
@Timeout(300)
class CqlSharedStoreIT {

  static final long NOW = 1_795_287_911_420L;
  static final int THREADS_PER_STORE = 3;
  static final int PUTS_PER_THREAD = 60;
  static final int SOULS = 16;

  @TempDir Path tmp;

  @BeforeAll
  static void requireCassandra() {
    CqlCluster.require();
  }

  private StoreConfig config(String keyspace) throws Exception {
    return StoreConfig.cql(Files.createTempDirectory(tmp, "relay"),
        CqlCluster.settings(keyspace, 1));
  }

  @Test
  void twoStoresOneKeyspace_conflictingPuts_endAsHamJoinOfAckedWithOneVertexPerSoul()
      throws Exception {
    // its own keyspace: it runs while CqlSoulStoreIT's tests run on theirs (JUnit runs that
    // concurrent class beside the sequential ones)
    String keyspace = CqlCluster.SHARED_KEYSPACE;
    CqlCluster.truncate(keyspace);
    long seed = System.nanoTime();
    System.out.println("CqlSharedStoreIT seed " + seed);
    Random random = new Random(seed);
    List<Graph> acked = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_STORE);
    try (SoulStore a = SoulStores.open(config(keyspace), () -> NOW);
        SoulStore b = SoulStores.open(config(keyspace), () -> NOW)) {
      List<Future<?>> runs = new ArrayList<>();
      for (SoulStore store : List.of(a, b)) {
        for (int t = 0; t < THREADS_PER_STORE; t++) {
          List<Graph> diffs = new ArrayList<>();
          for (int i = 0; i < PUTS_PER_THREAD; i++) {
            diffs.add(randomDiff(random));
          }
          runs.add(pool.submit(() -> {
            for (Graph diff : diffs) { // one put in flight per thread: a client awaiting acks
              try {
                store.put(diff, null).get(120, TimeUnit.SECONDS);
                acked.add(diff);
              } catch (Exception e) {
                failed.incrementAndGet();
              }
            }
            return null;
          }));
        }
      }
      for (Future<?> run : runs) {
        run.get(240, TimeUnit.SECONDS);
      }
      Graph expected = acked.stream().reduce(Graph.EMPTY, Graph::join);
      System.out.println("CqlSharedStoreIT acked " + acked.size() + ", failed " + failed.get());
      assertEquals(0, failed.get(), "puts that failed although the cluster was up");
      assertStoreHolds(expected, a, "store A");
      assertStoreHolds(expected, b, "store B");
      try (SoulStore reader = SoulStores.open(config(keyspace), () -> NOW)) {
        assertStoreHolds(expected, reader, "a store opened afterwards");
      }
      assertEquals(Map.of(), duplicateSouls(a), "souls with more than one vertex");
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertStoreHolds(Graph expected, SoulStore store, String who) {
    for (Node node : expected.nodes().values()) {
      assertEquals(node.fields(), store.node(node.soul()).orElseThrow().fields(),
          who + ", soul " + node.soul());
    }
  }

  /** A full scan of the vertices (not an index lookup, which shows only one per soul). */
  private static Map<Object, Long> duplicateSouls(SoulStore store) {
    var g = store.readOnlyInternals();
    try {
      Map<Object, Long> counts = g.V().hasLabel("node")
          .values("soul").toStream()
          .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
      counts.values().removeIf(n -> n == 1);
      return counts;
    } finally {
      g.getGraph().tx().rollback();
    }
  }

  private static Graph randomDiff(Random random) {
    List<Node> nodes = new ArrayList<>();
    int souls = 1 + random.nextInt(2);
    for (int s = 0; s < souls; s++) {
      Node node = Node.empty("race-" + random.nextInt(SOULS));
      int fields = 1 + random.nextInt(3);
      for (int f = 0; f < fields; f++) {
        node = node.with("f" + random.nextInt(4), randomValue(random), NOW - random.nextInt(8));
      }
      nodes.add(node);
    }
    return Graph.of(nodes.toArray(Node[]::new));
  }

  private static Value randomValue(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> Value.of("v" + random.nextInt(4));
      case 1 -> Value.of(random.nextInt(4));
      case 2 -> Value.NULL;
      default -> Value.link("race-" + random.nextInt(SOULS));
    };
  }
}
