package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class DeferredQueueTest {

  @Test
  void due_releasesOnlyWhatHasComeInStateOrder() {
    DeferredQueue<String> q = new DeferredQueue<>(10);
    q.offer("c", 300);
    q.offer("a", 100);
    q.offer("b", 200);
    assertEquals(List.of(), q.due(99));
    assertEquals(List.of("a", "b"), q.due(200));
    assertEquals(300, q.nextDue());
    assertEquals(List.of("c"), q.due(1000));
    assertEquals(Double.POSITIVE_INFINITY, q.nextDue());
  }

  @Test
  void offer_whenFull_refusesAndHoldsNothingMore() {
    DeferredQueue<String> q = new DeferredQueue<>(1);
    assertTrue(q.offer("a", 1));
    assertFalse(q.offer("b", 2));
    assertEquals(1, q.size());
  }

  @Test
  void constructor_zeroCapacity_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new DeferredQueue<String>(0));
  }
}
