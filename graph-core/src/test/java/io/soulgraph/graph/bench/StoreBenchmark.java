package io.soulgraph.graph.bench;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The graph-core benchmark harness (docs/benchmarks.md, section graph-core, has the command).
 * Writes: each writer thread puts one diff (a new or existing soul, 1 or 10 fields) and waits
 * for its acknowledgement (= commit) before the next; diffs/s, fields/s and p50/p99
 * put-to-ack latency.
 * Reads: {@code node(soul)} per second with the soul in the hot index, and with a hot index too
 * small to hold any of them. Memory: heap and RSS per 100k souls of 10 fields in the hot index.
 *
 * <p>System properties: {@code bench.seconds} (measured seconds per case, default 5),
 * {@code bench.warmup} (default 2), {@code bench.only} (a substring of write case names such as
 * {@code BERKELEYJE/10}, or {@code reads}, or {@code memory}, or {@code anti-entropy}).
 */
public final class StoreBenchmark {

  static final int SECONDS = Integer.getInteger("bench.seconds", 5);
  static final int WARMUP = Integer.getInteger("bench.warmup", 2);
  static final String ONLY = System.getProperty("bench.only", "");
  static final int SOUL_SPACE = 200_000;

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    Runtime rt = Runtime.getRuntime();
    System.out.printf("cores=%d maxHeap=%dMiB java=%s%n", rt.availableProcessors(),
        rt.maxMemory() >> 20, System.getProperty("java.version"));
    System.out.println(
        "| backend | fields/diff | writers | diffs/s | fields/s | p50 ms | p99 ms |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (StoreConfig.Backend backend : List.of(StoreConfig.Backend.INMEMORY,
        StoreConfig.Backend.BERKELEYJE)) {
      for (int fields : new int[] {1, 10}) {
        for (int writers : new int[] {1, 8, 64}) {
          String name = backend + "/" + fields + "/" + writers;
          if (ONLY.isEmpty() || name.contains(ONLY)) {
            writes(backend, fields, writers);
          }
        }
      }
    }
    if (ONLY.isEmpty() || ONLY.equals("reads")) {
      ReadBenchmark.run();
    }
    if (ONLY.isEmpty() || ONLY.equals("memory")) {
      MemoryBenchmark.run();
    }
    if (ONLY.isEmpty() || ONLY.equals("anti-entropy")) {
      AntiEntropyBenchmark.run();
    }
  }

  /** A store whose hot index holds about {@code hotFields} of the benchmarks' small fields. */
  static StoreConfig config(StoreConfig.Backend backend, int hotFields) throws Exception {
    Path dir = backend == StoreConfig.Backend.INMEMORY ? null
        : Files.createTempDirectory("soulgraph-bench");
    long bytesPerSmallField = 256; // the estimate of graph-core's Weights for these fields, rounded up
    return new StoreConfig(backend, dir, null, hotFields * bytesPerSmallField, 1024, Duration.ofMillis(2), 0, 100_000,
        4096);
  }

  static Graph diff(String soul, int fields, long state) {
    Node node = Node.empty(soul);
    for (int f = 0; f < fields; f++) {
      node = node.with("field" + f, Value.of("value " + state + " " + f), state);
    }
    return Graph.of(node);
  }

  private static void writes(StoreConfig.Backend backend, int fields, int writers)
      throws Exception {
    try (SoulStore store = SoulStores.open(config(backend, 1_000_000))) {
      run(store, fields, writers, WARMUP, new Stats());
      Stats stats = new Stats();
      long start = System.nanoTime();
      run(store, fields, writers, SECONDS, stats);
      double seconds = (System.nanoTime() - start) / 1e9;
      double diffs = stats.count() / seconds;
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.2f | %.2f |%n",
          backend.name().toLowerCase(Locale.ROOT), fields, writers, diffs, diffs * fields,
          stats.percentileMillis(50), stats.percentileMillis(99));
    }
  }

  private static void run(SoulStore store, int fields, int writers, int seconds, Stats stats)
      throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong clock = new AtomicLong(System.currentTimeMillis() - 3_600_000);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          String soul = "soul" + ThreadLocalRandom.current().nextInt(SOUL_SPACE);
          long began = System.nanoTime();
          store.put(diff(soul, fields, clock.incrementAndGet()), null).join();
          stats.add(System.nanoTime() - began);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
