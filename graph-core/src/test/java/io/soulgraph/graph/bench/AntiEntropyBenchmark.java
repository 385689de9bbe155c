package io.soulgraph.graph.bench;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Anti-entropy's read side on berkeleyje: a peer that has seen nothing streams every write through
 * {@code missingFor(empty, 256)}. Measures updates/s and the heap retained while the cursor is
 * open (after GC, sampled every 10% of the stream) against the heap the same writes take when
 * held in one list (what {@code missingFor} returned before it was a cursor).
 */
final class AntiEntropyBenchmark {

  static final int SOULS = 50_000;
  static final int FIELDS = 4;
  static final int BATCH = 256;

  private AntiEntropyBenchmark() {}

  static void run() throws Exception {
    try (SoulStore store = SoulStores.open(
        StoreBenchmark.config(StoreConfig.Backend.BERKELEYJE, 10_000))) {
      long state = System.currentTimeMillis() - 3_600_000;
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = 0; i < SOULS; i++) {
        acks.add(store.put(StoreBenchmark.diff("a" + i, FIELDS, state), null));
        if (acks.size() == 4096) {
          acks.forEach(CompletableFuture::join);
          acks.clear();
        }
      }
      acks.forEach(CompletableFuture::join);

      long before = usedHeapAfterGc();
      long peak = 0;
      int streamed = 0;
      long started = System.nanoTime();
      long sampling = 0;
      try (UpdateCursor cursor = store.missingFor(new CausalContext(), BATCH)) {
        int nextSample = SOULS * FIELDS / 10;
        for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
          streamed += batch.size();
          if (streamed >= nextSample) {
            long t = System.nanoTime();
            peak = Math.max(peak, usedHeapAfterGc() - before);
            sampling += System.nanoTime() - t;
            nextSample += SOULS * FIELDS / 10;
          }
        }
      }
      double seconds = (System.nanoTime() - started - sampling) / 1e9;

      long listBefore = usedHeapAfterGc();
      List<Update> all = new ArrayList<>();
      try (UpdateCursor cursor = store.missingFor(new CausalContext(), BATCH)) {
        for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
          all.addAll(batch);
        }
      }
      long listHeap = usedHeapAfterGc() - listBefore;
      System.out.println();
      System.out.printf(Locale.ROOT, "anti-entropy stream of %d writes (%d souls x %d fields),"
          + " batches of %d: %.0f updates/s; heap retained while streaming <= %d KiB;"
          + " the same writes in one list: %d KiB (%d)%n", streamed, SOULS, FIELDS, BATCH,
          streamed / seconds, Math.max(0, peak) >> 10, listHeap >> 10, all.size());
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
