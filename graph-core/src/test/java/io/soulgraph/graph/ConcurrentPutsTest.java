package io.soulgraph.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads putting random diffs to overlapping souls end in exactly the state the sequential
 * HAM merge ({@link Graph#join}) of all the diffs gives, whatever the batching. The hot index is
 * kept small so that evictions and reloads from the graph happen during the run.
 */
@Timeout(180)
class ConcurrentPutsTest {

  static final long NOW = 1_795_287_911_420L;
  static final int THREADS = 8;
  static final int PUTS_PER_THREAD = 150;
  static final int SOULS = 12;

  @TempDir Path dataDir;

  private static StoreConfig small(StoreConfig.Backend backend, Path dir) {
    return new StoreConfig(backend, dir, null, 40, 16, Duration.ofMillis(1), 0, 1000, 4096);
  }

  @Test
  void concurrentPuts_inMemory_equalSequentialHamMerge() throws Exception {
    check(small(StoreConfig.Backend.INMEMORY, null));
  }

  @Test
  void concurrentPuts_berkeleyJe_equalSequentialHamMergeAlsoAfterReopen() throws Exception {
    Graph expected = check(small(StoreConfig.Backend.BERKELEYJE, dataDir));
    try (SoulStore reopened = SoulStores.open(small(StoreConfig.Backend.BERKELEYJE, dataDir),
        () -> NOW)) {
      assertStoreHolds(expected, reopened);
    }
  }

  private Graph check(StoreConfig config) throws Exception {
    long seed = System.nanoTime();
    System.out.println("ConcurrentPutsTest seed " + seed);
    Random random = new Random(seed);
    List<List<Graph>> perThread = new ArrayList<>();
    Graph expected = Graph.EMPTY;
    for (int t = 0; t < THREADS; t++) {
      List<Graph> diffs = new ArrayList<>();
      for (int i = 0; i < PUTS_PER_THREAD; i++) {
        Graph diff = randomDiff(random);
        diffs.add(diff);
        expected = expected.join(diff);
      }
      perThread.add(diffs);
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (SoulStore store = SoulStores.open(config, () -> NOW)) {
      List<Future<?>> runs = new ArrayList<>();
      for (List<Graph> diffs : perThread) {
        runs.add(pool.submit(() -> {
          List<CompletableFuture<PutResult>> acks = new ArrayList<>();
          for (Graph diff : diffs) {
            acks.add(store.put(diff, null));
          }
          acks.forEach(CompletableFuture::join);
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(120, TimeUnit.SECONDS);
      }
      assertStoreHolds(expected, store);
    } finally {
      pool.shutdownNow();
    }
    return expected;
  }

  private static void assertStoreHolds(Graph expected, SoulStore store) {
    for (Node node : expected.nodes().values()) {
      Optional<Node> actual = store.node(node.soul());
      assertEquals(node.fields(), actual.orElseThrow().fields(), "soul " + node.soul());
    }
  }

  private static Graph randomDiff(Random random) {
    List<Node> nodes = new ArrayList<>();
    int souls = 1 + random.nextInt(3);
    for (int s = 0; s < souls; s++) {
      Node node = Node.empty("s" + random.nextInt(SOULS));
      int fields = 1 + random.nextInt(4);
      for (int f = 0; f < fields; f++) {
        node = node.with("f" + random.nextInt(6), randomValue(random), NOW - random.nextInt(20));
      }
      nodes.add(node);
    }
    return Graph.of(nodes.toArray(Node[]::new));
  }

  private static Value randomValue(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> Value.NULL;
      case 1 -> Value.of("v" + random.nextInt(5));
      case 2 -> Value.of(random.nextInt(5));
      case 3 -> Value.of(random.nextBoolean());
      default -> Value.link("s" + random.nextInt(SOULS));
    };
  }
}
