package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.InvalidDiffException;
import io.soulgraph.graph.PutRefusedException;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.StoreBusyException;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code SoulStore.put} fails only as it promises: invalid (nothing applied), refused (over a
 * bound), busy (queue full or closing) or a backend failure, always through its future, and every
 * future completes whatever throws.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class PutErrorContractTest {

  private static final long NOW = 10_000;
  private static final Ticker CLOCK = () -> NOW;

  private static Graph diff(String soul, String field) {
    return Graph.of(Node.empty(soul).with(field, Value.of("v"), NOW));
  }

  private static Throwable failureOf(CompletableFuture<PutResult> future) {
    return assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS))
        .getCause();
  }

  @Test
  void errorTypes_areDistinct_noneIsAnother() {
    List<Class<? extends RuntimeException>> types = List.of(InvalidDiffException.class,
        PutRefusedException.class, StoreBusyException.class, StoreException.class);
    for (Class<?> a : types) {
      for (Class<?> b : types) {
        assertTrue(a == b || !a.isAssignableFrom(b), a + " is a " + b);
      }
      // a bug (IllegalStateException, say) must not be taken for one of them, nor they for it
      assertFalse(IllegalStateException.class.isAssignableFrom(a), a + " is an ISE");
    }
  }

  @Test
  void invalidDiff_failsThroughTheFuture_putAndAntiEntropyAlike() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      CompletableFuture<PutResult> put = store.put(diff("a", "_"), null);
      InvalidDiffException viaPut = assertInstanceOf(InvalidDiffException.class, failureOf(put));
      CompletableFuture<PutResult> sync = store.applyAntiEntropy(
          List.of(new Update("a", "_", new FieldState(Value.of("v"), NOW), new Dot("peer", 1))),
          new CausalContext());
      InvalidDiffException viaSync = assertInstanceOf(InvalidDiffException.class, failureOf(sync));
      assertEquals(viaPut.getMessage(), viaSync.getMessage());
      assertEquals("a", viaSync.soul());
      assertTrue(store.node("a").isEmpty());
      assertEquals(new CausalContext(), store.context());
    }
  }

  @Test
  void put_afterClose_failsBusyClosing_neverThrows() {
    JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK);
    store.close();
    StoreBusyException busy =
        assertInstanceOf(StoreBusyException.class, failureOf(store.put(diff("a", "f"), null)));
    assertTrue(busy.closing());
    assertInstanceOf(StoreBusyException.class, failureOf(
        store.applyAntiEntropy(List.of(), new CausalContext())));
  }

  @Test
  void putsRacingClose_everyFutureCompletes_committedOrBusy() throws Exception {
    JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK);
    List<CompletableFuture<PutResult>> puts = java.util.Collections.synchronizedList(
        new ArrayList<>());
    // Each writer puts half before the close starts and races it with the rest; its very last put
    // waits for the close to return, so at least those two are refused whatever the timing.
    CountDownLatch halfway = new CountDownLatch(2);
    CountDownLatch closed = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        for (int i = 0; i < 2_000; i++) {
          if (i == 1_000) {
            halfway.countDown();
          }
          if (i == 1_999) {
            awaitUninterruptibly(closed);
          }
          puts.add(store.put(diff("w" + writer + "-" + i, "f"), null));
        }
      });
      t.start();
      writers.add(t);
    }
    halfway.await();
    store.close();
    closed.countDown();
    for (Thread t : writers) {
      t.join();
    }
    int committed = 0;
    for (CompletableFuture<PutResult> put : puts) {
      try {
        put.get(30, TimeUnit.SECONDS);
        committed++;
      } catch (ExecutionException e) {
        assertInstanceOf(StoreBusyException.class, e.getCause());
      }
    }
    assertEquals(4_000, puts.size());
    assertTrue(committed >= 2_000, "the puts made before the close are committed: " + committed);
    assertTrue(committed <= 3_998, "the puts made after the close are refused: " + committed);
  }

  @Test
  void listenerThrowing_everyPutOfTheBatchCompletes_otherListenersStillRun() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      AtomicInteger heard = new AtomicInteger();
      store.subscribe((changes, origin) -> {
        throw new IllegalStateException("a listener's bug (injected)");
      });
      store.subscribe((changes, origin) -> heard.incrementAndGet());
      List<CompletableFuture<PutResult>> puts = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        puts.add(store.put(diff("s" + i, "f"), null));
      }
      for (CompletableFuture<PutResult> put : puts) {
        assertEquals(1, put.get(30, TimeUnit.SECONDS).accepted().fieldCount());
      }
      assertEquals(50, heard.get());
    }
  }

  @Test
  void nodeTooWide_isRefused_notBusyNorInvalid() {
    StoreConfig narrow = StoreConfig.inMemory().withBounds(
        new StoreConfig.Bounds(1, 4096, 64L << 20, 1 << 20, 1 << 20));
    try (JanusSoulStore store = JanusSoulStore.open(narrow, CLOCK)) {
      Graph wide = Graph.of(Node.empty("w").with("a", Value.of(1), NOW)
          .with("b", Value.of(2), NOW));
      assertInstanceOf(PutRefusedException.class, failureOf(store.put(wide, null)));
    }
  }

  @Test
  void bugWhileResolvingOnePut_failsThatPutWithTheBug_notTheBatchNorTheStoreHealth()
      throws Exception {
    Object brokenOrigin = new Object() {
      @Override
      public int hashCode() {
        throw new UnsupportedOperationException("a caller's broken origin (injected)");
      }
    };
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      Graph future = Graph.of(Node.empty("later").with("f", Value.of(1), NOW + 60_000));
      CompletableFuture<PutResult> broken = store.put(future, brokenOrigin);
      CompletableFuture<PutResult> fine = store.put(diff("fine", "f"), null);
      assertInstanceOf(UnsupportedOperationException.class, failureOf(broken));
      assertEquals(1, fine.get(30, TimeUnit.SECONDS).accepted().fieldCount());
      assertTrue(store.failure().isEmpty(), () -> "a bug reported as storage: " + store.failure());
      assertEquals(0, store.deferredCount());
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
