package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.ChangeListener;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A small put queued ahead of a wide one (a piece of a big put) is committed without it, and so is
 * one queued behind it, once: the small put waits for the commit already running and its own, never
 * for the wide one's. A wide put is passed over at most once, so small puts cannot starve it. The
 * pieces of a big put are committed one at a time while others write, and together while nobody
 * else does; a piece joins a batch that others' puts make busy anyway.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class WideTaskBatchingTest {

  private static final long NOW = 10_000;
  private static final Ticker CLOCK = () -> NOW;

  private static Node node(String soul, int fields) {
    Node node = Node.empty(soul);
    for (int i = 0; i < fields; i++) {
      node = node.with("f" + i, Value.of("value " + i), NOW);
    }
    return node;
  }

  /**
   * Holds the writer thread in the announcement of a put of soul "blocker" (listeners run on it),
   * so that a test queues puts behind it and then sees, as each soul is announced, what the
   * writer had committed by then.
   */
  private static final class HeldWriter implements ChangeListener {
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, Runnable> onAnnounced = new ConcurrentHashMap<>();
    private CompletableFuture<PutResult> blocker;

    /** Runs {@code check} on the writer thread when {@code soul} is announced. */
    HeldWriter when(String soul, Runnable check) {
      onAnnounced.put(soul, check);
      return this;
    }

    /** Puts the blocker ({@code piece}: as a piece, which marks no other writer) and waits. */
    void hold(JanusSoulStore store, int fields, boolean piece) throws InterruptedException {
      store.subscribe(this);
      Graph put = Graph.of(node("blocker", fields));
      blocker = piece ? store.putPiece(put, null) : store.put(put, null);
      assertTrue(held.await(30, TimeUnit.SECONDS), "the writer took the blocker");
    }

    void release() throws Exception {
      release.countDown();
      blocker.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void onChange(Graph changes, Object origin) {
      if (changes.nodes().containsKey("blocker")) {
        held.countDown();
        await(release);
      }
      onAnnounced.forEach((soul, check) -> {
        if (changes.nodes().containsKey(soul)) {
          check.run();
        }
      });
    }
  }

  @Test
  void smallPutQueuedAheadOfAWideOne_isCommittedWithoutIt() throws Exception {
    int wide = GroupCommitter.JOINS_FIELDS * 4;
    AtomicReference<Boolean> wideStoredWhenSmallAnnounced = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      // every name declared first, so no batch below waits for a declaration
      store.put(Graph.of(node("names", wide)), null).get(30, TimeUnit.SECONDS);
      HeldWriter writer = new HeldWriter().when("small",
          () -> wideStoredWhenSmallAnnounced.set(store.node("wide").isPresent()));
      writer.hold(store, 1, false);
      CompletableFuture<PutResult> small = store.put(Graph.of(node("small", 1)), null);
      CompletableFuture<PutResult> big = store.put(Graph.of(node("wide", wide)), null);
      writer.release();

      small.get(30, TimeUnit.SECONDS);
      big.get(30, TimeUnit.SECONDS);
      assertFalse(wideStoredWhenSmallAnnounced.get(),
          "the wide put was committed in the small put's batch");
      assertEquals(wide, store.node("wide").orElseThrow().fields().size());
    }
  }

  @Test
  void smallPutQueuedBehindAWideOne_goesAheadOfItOnce_andTheNextJoinsIt() throws Exception {
    int wide = GroupCommitter.JOINS_FIELDS * 4;
    AtomicReference<Boolean> wideStoredWhenFirstAnnounced = new AtomicReference<>();
    AtomicReference<Boolean> wideStoredWhenSecondAnnounced = new AtomicReference<>();
    AtomicReference<CompletableFuture<PutResult>> second = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.put(Graph.of(node("names", wide)), null).get(30, TimeUnit.SECONDS);
      HeldWriter writer = new HeldWriter()
          .when("first", () -> {
            wideStoredWhenFirstAnnounced.set(store.node("wide").isPresent());
            // queued while the wide put waits its turn, which it has now been given up once
            second.set(store.put(Graph.of(node("second", 1)), null));
          })
          .when("second", () -> wideStoredWhenSecondAnnounced.set(store.node("wide").isPresent()));
      writer.hold(store, 1, false);
      CompletableFuture<PutResult> big = store.put(Graph.of(node("wide", wide)), null);
      CompletableFuture<PutResult> first = store.put(Graph.of(node("first", 1)), null);
      writer.release();

      first.get(30, TimeUnit.SECONDS);
      big.get(30, TimeUnit.SECONDS);
      second.get().get(30, TimeUnit.SECONDS);
      assertFalse(wideStoredWhenFirstAnnounced.get(),
          "the small put queued behind the wide one waited for it");
      assertTrue(wideStoredWhenSecondAnnounced.get(),
          "the wide put was passed over a second time");
      assertEquals(wide, store.node("wide").orElseThrow().fields().size());
    }
  }

  @Test
  void piecesWhileNobodyElseWrites_areCommittedTogether() throws Exception {
    AtomicReference<Boolean> lastStoredWhenFirstAnnounced = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.put(Graph.of(node("names", 8)), null).get(30, TimeUnit.SECONDS);
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(GroupCommitter.CONTENTION_NANOS) * 2);
      HeldWriter writer = new HeldWriter().when("piece1",
          () -> lastStoredWhenFirstAnnounced.set(store.node("piece4").isPresent()));
      writer.hold(store, 8, true);
      List<CompletableFuture<PutResult>> pieces = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        pieces.add(store.putPiece(Graph.of(node("piece" + i, 8)), null));
      }
      writer.release();

      for (CompletableFuture<PutResult> piece : pieces) {
        piece.get(30, TimeUnit.SECONDS);
      }
      assertTrue(lastStoredWhenFirstAnnounced.get(), "the queued pieces were committed apart");
    }
  }

  @Test
  void piecesWhileOthersWrite_areCommittedOneAtATime_andTheOthersGoBetween() throws Exception {
    AtomicReference<Boolean> firstStoredWhenSmallAnnounced = new AtomicReference<>();
    AtomicReference<Boolean> secondStoredWhenFirstAnnounced = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.put(Graph.of(node("names", 8)), null).get(30, TimeUnit.SECONDS);
      HeldWriter writer = new HeldWriter()
          .when("small", () -> firstStoredWhenSmallAnnounced.set(store.node("piece1").isPresent()))
          .when("piece1",
              () -> secondStoredWhenFirstAnnounced.set(store.node("piece2").isPresent()));
      writer.hold(store, 1, false); // another writer's put: contention
      CompletableFuture<PutResult> first = store.putPiece(Graph.of(node("piece1", 8)), null);
      CompletableFuture<PutResult> second = store.putPiece(Graph.of(node("piece2", 8)), null);
      CompletableFuture<PutResult> small = store.put(Graph.of(node("small", 1)), null);
      writer.release();

      first.get(30, TimeUnit.SECONDS);
      second.get(30, TimeUnit.SECONDS);
      small.get(30, TimeUnit.SECONDS);
      assertFalse(firstStoredWhenSmallAnnounced.get(), "the small put waited for a piece");
      assertFalse(secondStoredWhenFirstAnnounced.get(),
          "pieces were committed together while another writer was writing");
    }
  }

  @Test
  void pieceJoinsABatchBusyWithOthersPuts() throws Exception {
    AtomicReference<Boolean> pieceStoredWhenFirstAnnounced = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.put(Graph.of(node("names", 8)), null).get(30, TimeUnit.SECONDS);
      HeldWriter writer = new HeldWriter().when("small0",
          () -> pieceStoredWhenFirstAnnounced.set(store.node("piece").isPresent()));
      writer.hold(store, 1, false);
      List<CompletableFuture<PutResult>> smalls = new ArrayList<>();
      for (int i = 0; i < GroupCommitter.BUSY_BATCH_FIELDS; i++) {
        smalls.add(store.put(Graph.of(node("small" + i, 1)), null));
      }
      CompletableFuture<PutResult> piece = store.putPiece(Graph.of(node("piece", 8)), null);
      writer.release();

      for (CompletableFuture<PutResult> small : smalls) {
        small.get(30, TimeUnit.SECONDS);
      }
      piece.get(30, TimeUnit.SECONDS);
      assertTrue(pieceStoredWhenFirstAnnounced.get(),
          "a piece waited for a commit of its own behind a busy batch");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
