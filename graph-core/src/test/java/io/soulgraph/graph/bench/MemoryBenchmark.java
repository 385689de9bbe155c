package io.soulgraph.graph.bench;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Memory for 100k souls of 10 fields, all in the hot index, on berkeleyje: retained heap (after
 * GC, before versus after) and the process's resident set (VmRSS).
 */
final class MemoryBenchmark {

  static final int SOULS = 100_000;
  static final int FIELDS = 10;

  private MemoryBenchmark() {}

  static void run() throws Exception {
    long heapBefore = usedHeapAfterGc();
    long rssBefore = rssKib();
    try (SoulStore store = SoulStores.open(
        StoreBenchmark.config(StoreConfig.Backend.BERKELEYJE, 2_000_000))) {
      long state = System.currentTimeMillis() - 3_600_000;
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = 0; i < SOULS; i++) {
        acks.add(store.put(StoreBenchmark.diff("m" + i, FIELDS, state), null));
        if (acks.size() == 4096) {
          acks.forEach(CompletableFuture::join);
          acks.clear();
        }
      }
      acks.forEach(CompletableFuture::join);
      for (int i = 0; i < SOULS; i++) {
        store.node("m" + i).orElseThrow();
      }
      long heapAfter = usedHeapAfterGc();
      long rssAfter = rssKib();
      System.out.println();
      System.out.printf(Locale.ROOT, "memory for %d souls x %d fields (hot index full): "
          + "retained heap +%d MiB, RSS %d -> %d MiB (+%d MiB)%n", SOULS, FIELDS,
          (heapAfter - heapBefore) >> 20, rssBefore >> 10, rssAfter >> 10,
          (rssAfter - rssBefore) >> 10);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long rssKib() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
