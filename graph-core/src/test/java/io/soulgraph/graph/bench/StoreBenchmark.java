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
 * Writes: each writer thread puts one diff (a soul never written, or one of 1000 written
 * before; 1 or 10 fields) and waits for its acknowledgement (= commit) before the next; diffs/s,
 * fields/s, p50/p99 put-to-ack latency and the process's CPU time per diff.
 * Reads: {@code node(soul)} per second with the soul in the hot index, and with a hot index too
 * small to hold any of them. Memory: heap and RSS per 100k souls of 10 fields in the hot index.
 *
 * <p>System properties: {@code bench.seconds} (measured seconds per case, default 5),
 * {@code bench.warmup} (default 2), {@code bench.only} (a substring of write case names such as
 * {@code BERKELEYJE/NEW/10}, or {@code reads}, or {@code memory}, or {@code anti-entropy}).
 */
public final class StoreBenchmark {

  static final int SECONDS = Integer.getInteger("bench.seconds", 5);
  static final int WARMUP = Integer.getInteger("bench.warmup", 2);
  static final String ONLY = System.getProperty("bench.only", "");

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    Runtime rt = Runtime.getRuntime();
    System.out.printf("cores=%d maxHeap=%dMiB java=%s%n", rt.availableProcessors(),
        rt.maxMemory() >> 20, System.getProperty("java.version"));
    System.out.println("| backend | souls | fields/diff | writers | diffs/s | fields/s | p50 ms"
        + " | p99 ms | CPU µs/diff | writer CPU µs/diff |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (StoreConfig.Backend backend : List.of(StoreConfig.Backend.INMEMORY,
        StoreConfig.Backend.BERKELEYJE)) {
      for (Souls souls : Souls.values()) {
        for (int fields : new int[] {1, 10}) {
          for (int writers : new int[] {1, 8, 64}) {
            String name = backend + "/" + souls + "/" + fields + "/" + writers;
            if (ONLY.isEmpty() || name.contains(ONLY)) {
              writes(backend, souls, fields, writers);
            }
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

  /** Which souls the writes go to. */
  enum Souls {
    /** Each put a soul never written before. */
    NEW,
    /** Each put one of {@link #EXISTING_SOULS} souls written before the measurement. */
    EXISTING
  }

  static final int EXISTING_SOULS = 1000;

  private static void writes(StoreConfig.Backend backend, Souls souls, int fields, int writers)
      throws Exception {
    try (SoulStore store = SoulStores.open(config(backend, 1_000_000))) {
      AtomicLong clock = new AtomicLong(System.currentTimeMillis() - 3_600_000);
      AtomicLong fresh = new AtomicLong();
      if (souls == Souls.EXISTING) {
        for (int i = 0; i < EXISTING_SOULS; i++) {
          store.put(diff("old" + i, fields, clock.incrementAndGet()), null).join();
        }
      }
      run(store, souls, fields, writers, WARMUP, new Stats(), clock, fresh);
      Stats stats = new Stats();
      long cpuBefore = processCpuNanos();
      long writerBefore = writerCpuNanos();
      long start = System.nanoTime();
      run(store, souls, fields, writers, SECONDS, stats, clock, fresh);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuMicrosPerDiff = (processCpuNanos() - cpuBefore) / 1e3 / stats.count();
      double writerMicrosPerDiff = (writerCpuNanos() - writerBefore) / 1e3 / stats.count();
      double diffs = stats.count() / seconds;
      System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.0f | %.2f | %.2f | %.0f | %.0f |%n",
          backend.name().toLowerCase(Locale.ROOT), souls.name().toLowerCase(Locale.ROOT), fields,
          writers, diffs, diffs * fields, stats.percentileMillis(50), stats.percentileMillis(99),
          cpuMicrosPerDiff, writerMicrosPerDiff);
    }
  }

  /** CPU time of the whole process (writer threads, the store's writer, GC, JIT). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time of the store's writer thread (resolve, write, commit; BerkeleyJE's fsync waits). */
  static long writerCpuNanos() {
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("soulgraph-writer-") && !t.getName().endsWith("-deadlines")) {
        total += java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
      }
    }
    return total;
  }

  private static void run(SoulStore store, Souls souls, int fields, int writers, int seconds,
      Stats stats, AtomicLong clock, AtomicLong fresh) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          String soul = souls == Souls.NEW ? "new" + fresh.incrementAndGet()
              : "old" + ThreadLocalRandom.current().nextInt(EXISTING_SOULS);
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
