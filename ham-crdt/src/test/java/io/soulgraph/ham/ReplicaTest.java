package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class ReplicaTest {

  private final AtomicLong time = new AtomicLong(1_000_000);

  private Replica replica(String id, long skew) {
    return new Replica(id, () -> time.get() + skew, 0, 100);
  }

  @Test
  void write_afterSeeingValueFromFastClock_stillWins() {
    Replica fast = replica("fast", 60_000);
    Replica slow = replica("slow", 0);
    Update first = fast.write("n", "f", Value.of("from fast"));
    time.addAndGet(60_000); // let the slow machine reach the fast one's state
    slow.receive(first);
    time.addAndGet(-59_000); // now the slow machine writes with a clock behind that state
    Update overwrite = slow.write("n", "f", Value.of("overwrite"));
    assertTrue(overwrite.fieldState().state() > first.fieldState().state());
    assertSame(HamDecision.ACCEPT, fast.receive(overwrite));
    assertEquals(Value.of("overwrite"), fast.field("n", "f").value());
  }

  @Test
  void receive_futureState_isHeldUntilItsTime() {
    Replica r = replica("r", 0);
    Update future = replica("w", 5000).write("n", "f", Value.of("later"));
    assertEquals(new HamDecision.Defer(future.fieldState().state()), r.receive(future));
    assertNull(r.field("n", "f"));
    time.addAndGet(4999);
    assertEquals(List.of(), r.releaseDue());
    time.addAndGet(1);
    assertEquals(List.of(future), r.releaseDue());
    assertEquals(Value.of("later"), r.field("n", "f").value());
  }

  @Test
  void antiEntropy_afterPartition_sendsExactlyWhatIsMissing() {
    Replica a = replica("a", 0);
    Replica b = replica("b", 0);
    Update shared = a.write("n", "x", Value.of(1));
    b.receive(shared);
    time.incrementAndGet();
    a.write("n", "y", Value.of("only a"));
    b.write("m", "z", Value.TRUE);

    List<Update> toB = all(a.missingFor(b.context(), 1));
    List<Update> toA = all(b.missingFor(a.context(), 1));
    assertEquals(1, toB.size());
    assertEquals(1, toA.size());
    CausalContext ctxA = a.context();
    b.applyAntiEntropy(toB, ctxA);
    a.applyAntiEntropy(toA, b.context());

    assertEquals(a.snapshot(), b.snapshot());
    assertTrue(all(a.missingFor(b.context(), 10)).isEmpty());
    assertTrue(all(b.missingFor(a.context(), 10)).isEmpty());
  }

  @Test
  void antiEntropy_supersededWrites_leaveNoGapInTheContext() {
    Replica a = replica("a", 0);
    Replica b = replica("b", 0);
    a.write("n", "f", Value.of("v1"));
    time.incrementAndGet();
    a.write("n", "f", Value.of("v2")); // supersedes a:1, which is never sent again
    b.applyAntiEntropy(all(a.missingFor(b.context(), 10)), a.context());
    assertEquals(2, b.context().vector().get("a"));
    assertTrue(all(a.missingFor(b.context(), 10)).isEmpty());
  }

  /** Every batch of the cursor, checking that each is within its bound and none is empty. */
  private static List<Update> all(UpdateCursor cursor) {
    List<Update> all = new ArrayList<>();
    try (cursor) {
      for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
        all.addAll(batch);
      }
    }
    return all;
  }

  @Test
  void missingFor_batches_boundedInOrderEachWriteOnce_resumingPastConcurrentWrites() {
    Replica a = replica("a", 0);
    for (int soul = 0; soul < 7; soul++) {
      for (int field = 0; field < 3; field++) {
        a.write("s" + soul, "f" + field, Value.of(soul * 10 + field));
      }
    }
    try (UpdateCursor cursor = a.missingFor(new CausalContext(), 4)) {
      List<Update> seen = new ArrayList<>(cursor.next());
      assertEquals(4, seen.size());
      a.write("s0", "late", Value.of("behind the cursor")); // not handed out: the cursor is past it
      a.write("s9", "late", Value.of("ahead of the cursor"));
      for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
        assertTrue(batch.size() <= 4);
        seen.addAll(batch);
      }
      assertEquals(22, seen.size());
      assertEquals(22, seen.stream().map(Update::dot).distinct().count());
      assertEquals(List.of(), cursor.next());
    }
  }

  @Test
  void antiEntropy_writeDeferredInAnEarlierBatch_senderContextNotTakenOver() {
    Replica sender = replica("s", 5_000); // its clock runs ahead: its writes are future here
    Replica receiver = replica("r", 0);
    sender.write("a", "f", Value.of("future"));
    sender.receive(replica("o", 0).write("b", "f", Value.of("due"))); // not ahead: applies
    CausalContext senderContext = sender.context();
    try (UpdateCursor cursor = sender.missingFor(receiver.context(), 1)) {
      receiver.applyAntiEntropy(cursor.next(), null); // "a": held for the future
      assertEquals(1, receiver.deferredCount());
      List<Update> last = cursor.next();
      assertEquals(List.of(), cursor.next());
      receiver.applyAntiEntropy(last, senderContext);
      assertEquals(Value.of("due"), receiver.field("b", "f").value());
    }
    assertFalse(receiver.context().contains(new Dot("s", 1)), "claimed a held write");
    time.addAndGet(20_000);
    receiver.releaseDue();
    assertEquals(sender.snapshot(), receiver.snapshot());
    assertTrue(receiver.context().contains(new Dot("s", 1)));
  }

  @Test
  void antiEntropy_futureWritesBeyondTheHoldingArea_batchRefusedWhole() {
    Replica sender = replica("s", 60_000);
    Replica receiver = new Replica("r", time::get, 0, 1);
    sender.write("a", "f", Value.of(1));
    sender.write("a", "g", Value.of(2));
    List<Update> batch = all(sender.missingFor(receiver.context(), 10));
    assertThrows(IllegalStateException.class,
        () -> receiver.applyAntiEntropy(batch, sender.context()));
    assertEquals(0, receiver.deferredCount());
    assertEquals(new CausalContext(), receiver.context());
  }
}
