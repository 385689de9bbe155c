package io.soulgraph.graph.bench;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/** {@code node(soul)} reads per second on berkeleyje: hot index hits, and misses. */
final class ReadBenchmark {

  static final int SOULS = 20_000;
  static final int FIELDS = 10;

  private ReadBenchmark() {}

  static void run() throws Exception {
    StoreConfig hot = StoreBenchmark.config(StoreConfig.Backend.BERKELEYJE, 1_000_000);
    try (SoulStore store = SoulStores.open(hot)) {
      fill(store);
      System.out.println();
      System.out.println("| reads (berkeleyje, 10-field nodes) | threads | node reads/s |");
      System.out.println("|---|---|---|");
      for (int threads : new int[] {1, 2}) {
        measure("hot index hit", store, threads, SOULS);
      }
    }
    // the same data, with a hot index of 10 fields: every read of a random soul loads the graph
    StoreConfig cold = new StoreConfig(StoreConfig.Backend.BERKELEYJE, hot.dataDir(), null, 10,
        1024, hot.maxBatchDelay(), 0, 1000, 4096);
    try (SoulStore store = SoulStores.open(cold)) {
      for (int threads : new int[] {1, 2}) {
        measure("miss (read from graph)", store, threads, SOULS);
      }
      // a cold get of a soul never stored (each read a different one): the index lookup, or the
      // soul filter's answer once its scan at open is done (the miss cases above took longer)
      for (int threads : new int[] {1, 2}) {
        measure("unknown soul (never stored)", store, threads, 0);
      }
    }
  }

  private static void fill(SoulStore store) {
    long state = System.currentTimeMillis() - 3_600_000;
    // in chunks: all 20k at once may outwait the commit timeout on a loaded machine
    for (int chunk = 0; chunk < SOULS; chunk += 1_000) {
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = chunk; i < Math.min(SOULS, chunk + 1_000); i++) {
        acks.add(store.put(StoreBenchmark.diff("r" + i, FIELDS, state), null));
      }
      acks.forEach(CompletableFuture::join);
    }
    for (int i = 0; i < SOULS; i++) {
      store.node("r" + i).orElseThrow();
    }
  }

  /** Reads random souls among {@code souls} stored ones, or, if 0, souls never stored. */
  private static void measure(String what, SoulStore store, int threads, int souls)
      throws InterruptedException {
    java.util.concurrent.atomic.AtomicLong unknown = new java.util.concurrent.atomic.AtomicLong();
    for (int round = 0; round < 2; round++) {
      LongAdder reads = new LongAdder();
      long seconds = round == 0 ? StoreBenchmark.WARMUP : StoreBenchmark.SECONDS;
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread thread = new Thread(() -> {
          while (System.nanoTime() < end) {
            if (souls == 0) {
              if (store.node("u" + unknown.incrementAndGet()).isPresent()) {
                throw new AssertionError("a soul never stored was found");
              }
            } else {
              store.node("r" + ThreadLocalRandom.current().nextInt(souls)).orElseThrow();
            }
            reads.increment();
          }
        });
        thread.start();
        running.add(thread);
      }
      for (Thread thread : running) {
        thread.join();
      }
      if (round == 1) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f |%n", what, threads,
            reads.sum() / (double) seconds);
      }
    }
  }
}
