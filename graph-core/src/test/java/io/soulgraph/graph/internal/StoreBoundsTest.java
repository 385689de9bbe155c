package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.PutRefusedException;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.StoreBusyException;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.Value;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.janusgraph.core.JanusGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a writer can make the store hold is bounded in bytes and fields, a put over a bound is
 * refused whole, and a store that cannot commit says so and never leaves a future hanging.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class StoreBoundsTest {

  private static final long NOW = 10_000;
  private static final Ticker CLOCK = () -> NOW;

  private static StoreConfig bounded(int nodeFields, long deferredBytes, long perOrigin) {
    return StoreConfig.inMemory().withBounds(
        new StoreConfig.Bounds(nodeFields, 4096, 64L << 20, deferredBytes, perOrigin));
  }

  private static Node wide(String soul, int fields, double state) {
    Node node = Node.empty(soul);
    for (int i = 0; i < fields; i++) {
      node = node.with("f" + i, Value.of("value " + i), state);
    }
    return node;
  }

  private static Throwable failureOf(CompletableFuture<PutResult> put) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> put.get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  /* --- fields per node --- */

  @Test
  void put_nodeWiderThanBound_refusedWholeNothingApplied() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(bounded(50, 1 << 20, 1 << 20), CLOCK)) {
      store.put(Graph.of(wide("at-limit", 50, NOW)), null).get(30, TimeUnit.SECONDS);
      Throwable refused = failureOf(
          store.put(Graph.of(Node.empty("other").with("x", Value.of(1), NOW),
              wide("past-limit", 51, NOW)), null));
      assertInstanceOf(PutRefusedException.class, refused);
      assertTrue(refused.getMessage().contains("at most 50 fields"), refused.getMessage());
      assertEquals(Optional.empty(), store.node("past-limit"));
      assertEquals(Optional.empty(), store.node("other"));
      assertEquals(50, store.node("at-limit").orElseThrow().fields().size());
      assertEquals(Optional.empty(), store.failure());
    }
  }

  @Test
  void put_growingStoredNodePastBound_refusedWhole_updatesStillAccepted() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(bounded(50, 1 << 20, 1 << 20), CLOCK)) {
      store.put(Graph.of(wide("grow", 40, NOW - 10)), null).get(30, TimeUnit.SECONDS);
      Node more = Node.empty("grow");
      for (int i = 35; i < 56; i++) {
        more = more.with("f" + i, Value.of("newer"), NOW - 5);
      }
      Throwable refused = failureOf(store.put(Graph.of(more), null));
      assertInstanceOf(PutRefusedException.class, refused);
      assertEquals(Value.of("value 35"), store.field("grow", "f35").orElseThrow().value());
      store.put(Graph.of(wide("grow", 50, NOW)), null).get(30, TimeUnit.SECONDS);
      assertEquals(50, store.node("grow").orElseThrow().fields().size());
    }
  }

  /* --- deferral area, in bytes --- */

  @Test
  void put_futureStatesPastOriginsBytes_refusedForThatOriginOnly() throws Exception {
    double tomorrow = NOW + 86_400_000;
    try (JanusSoulStore store = JanusSoulStore.open(bounded(10_000, 200_000, 60_000), CLOCK)) {
      Object flooder = "flooder";
      int held = 0;
      Throwable refused = null;
      for (int i = 0; i < 20 && refused == null; i++) {
        CompletableFuture<PutResult> put = store.put(Graph.of(wide("later" + i, 20, tomorrow)),
            flooder);
        try {
          put.get(30, TimeUnit.SECONDS);
          held++;
        } catch (ExecutionException e) {
          refused = e.getCause();
        }
      }
      assertInstanceOf(PutRefusedException.class, refused);
      assertTrue(refused.getMessage().contains("this connection"), refused.getMessage());
      assertTrue(held >= 1 && store.deferredBytes() <= 60_000, "held " + store.deferredBytes());
      store.put(Graph.of(wide("someone-else", 20, tomorrow)), "other").get(30, TimeUnit.SECONDS);
      assertTrue(store.deferredBytes() > 60_000);
    }
  }

  @Test
  void put_futureStatesPastTotalBytes_refusedWithClearError() throws Exception {
    double tomorrow = NOW + 86_400_000;
    try (JanusSoulStore store = JanusSoulStore.open(bounded(10_000, 30_000, 30_000), CLOCK)) {
      Throwable refused = null;
      for (int i = 0; i < 20 && refused == null; i++) {
        try {
          store.put(Graph.of(wide("later" + i, 20, tomorrow)), "origin" + i)
              .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          refused = e.getCause();
        }
      }
      assertInstanceOf(PutRefusedException.class, refused);
      assertTrue(refused.getMessage().contains("deferral area"), refused.getMessage());
      assertTrue(store.deferredBytes() <= 30_000);
    }
  }

  /* --- hot index, in bytes --- */

  @Test
  void antiEntropy_futureWritesPastOriginsBytes_refusedForThatPeerOnly_listenersGetItsOrigin()
      throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(bounded(1000, 1 << 20, 2_000), CLOCK)) {
      List<Object> origins = new java.util.concurrent.CopyOnWriteArrayList<>();
      store.subscribe((changes, origin) -> origins.add(origin));
      Object flooder = "peer A";
      Throwable refused = null;
      for (int i = 1; i <= 100 && refused == null; i++) {
        Update future = new Update("f" + i, "v", new FieldState(Value.of("x".repeat(100)),
            NOW + 60_000), new Dot("a", i));
        try {
          store.applyAntiEntropy(List.of(future), null, flooder).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          refused = e.getCause();
        }
      }
      assertInstanceOf(PutRefusedException.class, refused);
      Update fromB = new Update("b", "v", new FieldState(Value.of(1), NOW + 60_000),
          new Dot("b", 1));
      assertEquals(1, store.applyAntiEntropy(List.of(fromB), null, "peer B")
          .get(30, TimeUnit.SECONDS).deferred().fieldCount());
      Update now = new Update("n", "v", new FieldState(Value.of(2), NOW), new Dot("b", 2));
      store.applyAntiEntropy(List.of(now), null, "peer B").get(30, TimeUnit.SECONDS);
      assertEquals("peer B", origins.get(origins.size() - 1));
    }
  }

  @Test
  void hotIndex_wideValues_staysWithinItsBytes() throws Exception {
    StoreConfig small = StoreConfig.inMemory().withHotIndexMaxBytes(256 * 1024);
    try (JanusSoulStore store = JanusSoulStore.open(small, CLOCK)) {
      String big = "x".repeat(50_000);
      for (int i = 0; i < 20; i++) {
        store.put(Graph.of(Node.empty("big" + i).with("v", Value.of(big), NOW)), null)
            .get(30, TimeUnit.SECONDS);
        store.node("big" + i);
      }
      assertTrue(store.hotIndexBytes() <= 256 * 1024, "held " + store.hotIndexBytes());
      assertEquals(big, store.field("big0", "v").orElseThrow().value().asString());
    }
  }

  /* --- failures: health and futures --- */

  @Test
  void commitFailing_isReported_thenRecoveryIsNoticedByTheProbe() throws Exception {
    AtomicReference<Supplier<Throwable>> failure =
        new AtomicReference<>(() -> new IllegalStateException("disk on fire"));
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK,
        real -> failingCommits(real, failure))) {
      Throwable failed = failureOf(store.put(Graph.of(wide("a", 1, NOW)), null));
      assertInstanceOf(StoreException.class, failed);
      assertTrue(store.failure().orElseThrow().contains("disk on fire"));
      failure.set(() -> null);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (store.failure().isPresent() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(Optional.empty(), store.failure());
      store.put(Graph.of(wide("a", 1, NOW)), null).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void writerOutOfMemory_failsItsPutAndEveryLaterOne_neverHangs() throws Exception {
    AtomicReference<Supplier<Throwable>> failure =
        new AtomicReference<>(() -> new OutOfMemoryError("Java heap space (injected)"));
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    CountDownLatch handed = new CountDownLatch(1);
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> handed.countDown());
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK,
        real -> failingCommits(real, failure))) {
      assertInstanceOf(StoreException.class, failureOf(store.put(Graph.of(wide("a", 1, NOW)),
          null)));
      assertTrue(handed.await(10, TimeUnit.SECONDS), "the default handler saw the error");
      assertTrue(store.failure().orElseThrow().contains("OutOfMemoryError"));
      assertInstanceOf(StoreException.class, failureOf(store.put(Graph.of(wide("b", 1, NOW)),
          null)));
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  @Test
  void listenerThrowingError_committedPutsStillComplete() throws Exception {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> { });
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.subscribe((changes, origin) -> {
        throw new OutOfMemoryError("in a listener (injected)");
      });
      PutResult result = store.put(Graph.of(wide("kept", 2, NOW)), null)
          .get(30, TimeUnit.SECONDS);
      assertEquals(2, result.accepted().fieldCount());
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  @Test
  void queueFull_putsFailBusyInBytes_whileTheWriterIsStuck() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    StoreConfig small = StoreConfig.inMemory().withBounds(
        new StoreConfig.Bounds(10_000, 4096, 200_000, 1 << 20, 1 << 20));
    try (JanusSoulStore store = JanusSoulStore.open(small, CLOCK,
        real -> failingCommits(real, new AtomicReference<>(() -> {
          awaitQuietly(release);
          return null;
        })))) {
      Throwable refused = null;
      for (int i = 0; i < 200 && refused == null; i++) {
        CompletableFuture<PutResult> put = store.put(Graph.of(wide("q" + i, 20, NOW)), null);
        if (put.isCompletedExceptionally()) {
          refused = failureOf(put);
        }
      }
      release.countDown();
      StoreBusyException busy = assertInstanceOf(StoreBusyException.class, refused);
      assertFalse(busy.closing());
      assertTrue(refused.getMessage().contains("bytes of writes waiting"), refused.getMessage());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The graph, each transaction's commit first calling {@code failure} and throwing its result. */
  private JanusGraph failingCommits(JanusGraph real, AtomicReference<Supplier<Throwable>> failure) {
    return FailingCommits.of(real, () -> failure.get().get(), () -> {});
  }
}
