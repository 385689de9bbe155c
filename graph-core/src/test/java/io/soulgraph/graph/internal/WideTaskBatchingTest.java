package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  @Test
  void smallPutQueuedAheadOfAWideOne_isCommittedWithoutIt() throws Exception {
    int wide = GroupCommitter.JOINS_FIELDS * 4;
    CountDownLatch blockerAnnounced = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Boolean> wideStoredWhenSmallAnnounced = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      // every name declared first, so no batch below waits for a declaration
      store.put(Graph.of(node("names", wide)), null).get(30, TimeUnit.SECONDS);
      store.subscribe((changes, origin) -> {
        if (changes.nodes().containsKey("blocker")) { // the writer thread waits here
          blockerAnnounced.countDown();
          await(release);
        } else if (changes.nodes().containsKey("small")) {
          wideStoredWhenSmallAnnounced.set(store.node("wide").isPresent());
        }
      });
      CompletableFuture<PutResult> blocker = store.put(Graph.of(node("blocker", 1)), null);
      assertTrue(blockerAnnounced.await(30, TimeUnit.SECONDS));
      CompletableFuture<PutResult> small = store.put(Graph.of(node("small", 1)), null);
      CompletableFuture<PutResult> big = store.put(Graph.of(node("wide", wide)), null);
      release.countDown();

      blocker.get(30, TimeUnit.SECONDS);
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
    CountDownLatch blockerAnnounced = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Boolean> wideStoredWhenFirstAnnounced = new AtomicReference<>();
    AtomicReference<Boolean> wideStoredWhenSecondAnnounced = new AtomicReference<>();
    AtomicReference<CompletableFuture<PutResult>> second = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.put(Graph.of(node("names", wide)), null).get(30, TimeUnit.SECONDS);
      store.subscribe((changes, origin) -> {
        if (changes.nodes().containsKey("blocker")) {
          blockerAnnounced.countDown();
          await(release);
        } else if (changes.nodes().containsKey("first")) {
          wideStoredWhenFirstAnnounced.set(store.node("wide").isPresent());
          // queued while the wide put waits its turn, which it has now been given up once
          second.set(store.put(Graph.of(node("second", 1)), null));
        } else if (changes.nodes().containsKey("second")) {
          wideStoredWhenSecondAnnounced.set(store.node("wide").isPresent());
        }
      });
      CompletableFuture<PutResult> blocker = store.put(Graph.of(node("blocker", 1)), null);
      assertTrue(blockerAnnounced.await(30, TimeUnit.SECONDS));
      CompletableFuture<PutResult> big = store.put(Graph.of(node("wide", wide)), null);
      CompletableFuture<PutResult> first = store.put(Graph.of(node("first", 1)), null);
      release.countDown();

      blocker.get(30, TimeUnit.SECONDS);
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
    CountDownLatch blockerAnnounced = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Boolean> lastStoredWhenFirstAnnounced = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.put(Graph.of(node("names", 8)), null).get(30, TimeUnit.SECONDS);
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(GroupCommitter.CONTENTION_NANOS) * 2);
      store.subscribe((changes, origin) -> {
        if (changes.nodes().containsKey("piece0")) {
          blockerAnnounced.countDown();
          await(release);
        } else if (changes.nodes().containsKey("piece1")) {
          lastStoredWhenFirstAnnounced.set(store.node("piece4").isPresent());
        }
      });
      CompletableFuture<PutResult> blocker = store.putPiece(Graph.of(node("piece0", 8)), null);
      assertTrue(blockerAnnounced.await(30, TimeUnit.SECONDS));
      List<CompletableFuture<PutResult>> pieces = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        pieces.add(store.putPiece(Graph.of(node("piece" + i, 8)), null));
      }
      release.countDown();

      blocker.get(30, TimeUnit.SECONDS);
      for (CompletableFuture<PutResult> piece : pieces) {
        piece.get(30, TimeUnit.SECONDS);
      }
      assertTrue(lastStoredWhenFirstAnnounced.get(), "the queued pieces were committed apart");
    }
  }

  @Test
  void piecesWhileOthersWrite_areCommittedOneAtATime_andTheOthersGoBetween() throws Exception {
    CountDownLatch blockerAnnounced = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Boolean> firstStoredWhenSmallAnnounced = new AtomicReference<>();
    AtomicReference<Boolean> secondStoredWhenFirstAnnounced = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.put(Graph.of(node("names", 8)), null).get(30, TimeUnit.SECONDS);
      store.subscribe((changes, origin) -> {
        if (changes.nodes().containsKey("blocker")) { // another writer's put: contention
          blockerAnnounced.countDown();
          await(release);
        } else if (changes.nodes().containsKey("small")) {
          firstStoredWhenSmallAnnounced.set(store.node("piece1").isPresent());
        } else if (changes.nodes().containsKey("piece1")) {
          secondStoredWhenFirstAnnounced.set(store.node("piece2").isPresent());
        }
      });
      CompletableFuture<PutResult> blocker = store.put(Graph.of(node("blocker", 1)), null);
      assertTrue(blockerAnnounced.await(30, TimeUnit.SECONDS));
      CompletableFuture<PutResult> first = store.putPiece(Graph.of(node("piece1", 8)), null);
      CompletableFuture<PutResult> second = store.putPiece(Graph.of(node("piece2", 8)), null);
      CompletableFuture<PutResult> small = store.put(Graph.of(node("small", 1)), null);
      release.countDown();

      blocker.get(30, TimeUnit.SECONDS);
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
    CountDownLatch blockerAnnounced = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Boolean> pieceStoredWhenFirstAnnounced = new AtomicReference<>();
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK)) {
      store.put(Graph.of(node("names", 8)), null).get(30, TimeUnit.SECONDS);
      store.subscribe((changes, origin) -> {
        if (changes.nodes().containsKey("blocker")) {
          blockerAnnounced.countDown();
          await(release);
        } else if (changes.nodes().containsKey("small0")) {
          pieceStoredWhenFirstAnnounced.set(store.node("piece").isPresent());
        }
      });
      CompletableFuture<PutResult> blocker = store.put(Graph.of(node("blocker", 1)), null);
      assertTrue(blockerAnnounced.await(30, TimeUnit.SECONDS));
      List<CompletableFuture<PutResult>> smalls = new ArrayList<>();
      for (int i = 0; i < GroupCommitter.BUSY_BATCH_FIELDS; i++) {
        smalls.add(store.put(Graph.of(node("small" + i, 1)), null));
      }
      CompletableFuture<PutResult> piece = store.putPiece(Graph.of(node("piece", 8)), null);
      release.countDown();

      blocker.get(30, TimeUnit.SECONDS);
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
