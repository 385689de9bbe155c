package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of a store alone on its backend share one read transaction until the next commit: a
 * read never shows a soul older than a put acknowledged before the read began, even when every
 * read misses the hot index and other threads read the same souls at the same time.
 */
@Timeout(180)
class SharedReadTransactionTest {

  private static final long NOW = 1_795_287_911_420L;
  private static final Ticker CLOCK = () -> NOW + 1_000_000;
  private static final int SOULS = 8;

  @Test
  void readsMissingTheHotIndex_neverShowLessThanAnAcknowledgedPut(@TempDir Path dir)
      throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), CLOCK)) {
      store.put(Graph.of(Node.empty("seed").with("n", Value.of(0), NOW)), null)
          .get(30, TimeUnit.SECONDS);
    }
    // reopened with data (so no soul filter) and a hot index of a few bytes: every read loads
    StoreConfig tiny = new StoreConfig(StoreConfig.Backend.BERKELEYJE, dir, null, 16, 1024,
        Duration.ofMillis(2), 0, 100_000, 4096);
    try (JanusSoulStore store = JanusSoulStore.open(tiny, CLOCK)) {
      assertEquals(null, store.souls(), "a store opened with data looks souls up");
      AtomicLongArray acked = new AtomicLongArray(SOULS); // the latest acked n of each soul
      AtomicBoolean stop = new AtomicBoolean();
      ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        Thread reader = new Thread(() -> {
          for (long i = 0; !stop.get(); i++) {
            int soul = (int) (i % SOULS);
            long least = acked.get(soul);
            Optional<FieldState> read = store.field("s" + soul, "n");
            long seen = read.map(f -> (long) f.value().asNumber()).orElse(0L);
            if (seen < least) {
              stale.add("s" + soul + ": read " + seen + " after " + least + " was acked");
            }
          }
        }, "reader-" + r);
        reader.start();
        readers.add(reader);
      }
      try {
        for (int n = 1; n <= 150; n++) {
          int soul = n % SOULS;
          store.put(Graph.of(Node.empty("s" + soul).with("n", Value.of(n), NOW + n)), null)
              .get(30, TimeUnit.SECONDS);
          acked.set(soul, n);
        }
      } finally {
        stop.set(true);
        for (Thread reader : readers) {
          reader.join(TimeUnit.SECONDS.toMillis(30));
        }
      }
      assertTrue(stale.isEmpty(), "stale reads: " + stale);
      for (int soul = 0; soul < SOULS; soul++) {
        long n = acked.get(soul);
        assertEquals(Optional.of(new FieldState(Value.of(n), NOW + n)),
            store.field("s" + soul, "n"), "s" + soul);
      }
      assertEquals(Optional.empty(), store.node("never-written"));
    }
  }
}
