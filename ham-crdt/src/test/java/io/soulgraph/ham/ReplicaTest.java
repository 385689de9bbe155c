package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    List<Update> toB = a.missingFor(b.context());
    List<Update> toA = b.missingFor(a.context());
    assertEquals(1, toB.size());
    assertEquals(1, toA.size());
    CausalContext ctxA = a.context();
    b.applyAntiEntropy(toB, ctxA);
    a.applyAntiEntropy(toA, b.context());

    assertEquals(a.snapshot(), b.snapshot());
    assertTrue(a.missingFor(b.context()).isEmpty());
    assertTrue(b.missingFor(a.context()).isEmpty());
  }

  @Test
  void antiEntropy_supersededWrites_leaveNoGapInTheContext() {
    Replica a = replica("a", 0);
    Replica b = replica("b", 0);
    a.write("n", "f", Value.of("v1"));
    time.incrementAndGet();
    a.write("n", "f", Value.of("v2")); // supersedes a:1, which is never sent again
    b.applyAntiEntropy(a.missingFor(b.context()), a.context());
    assertEquals(2, b.context().vector().get("a"));
    assertTrue(a.missingFor(b.context()).isEmpty());
  }
}
