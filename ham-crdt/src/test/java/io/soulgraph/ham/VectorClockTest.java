package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class VectorClockTest {

  @Test
  void compare_coversAllFourOrders() {
    VectorClock a = VectorClock.EMPTY.increment("p");
    VectorClock b = a.increment("q");
    VectorClock c = a.increment("r");
    assertEquals(VectorClock.Order.BEFORE, a.compare(b));
    assertEquals(VectorClock.Order.AFTER, b.compare(a));
    assertEquals(VectorClock.Order.EQUAL, b.compare(VectorClock.of(Map.of("p", 1L, "q", 1L))));
    assertEquals(VectorClock.Order.CONCURRENT, b.compare(c));
    assertTrue(a.happensBefore(b));
    assertFalse(b.happensBefore(c));
  }

  @Test
  void merge_isPointwiseMaximum() {
    VectorClock a = VectorClock.of(Map.of("p", 3L, "q", 1L));
    VectorClock b = VectorClock.of(Map.of("q", 5L, "r", 2L));
    assertEquals(VectorClock.of(Map.of("p", 3L, "q", 5L, "r", 2L)), a.merge(b));
  }

  @Test
  void of_zeroCounters_areAbsent() {
    assertEquals(VectorClock.EMPTY, VectorClock.of(Map.of("p", 0L)));
  }

  @Test
  void of_negativeCounter_isRejectedWithItsName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VectorClock.of(Map.of("p", -1L)));
    assertEquals("Expected a counter >= 0 for p but received -1", e.getMessage());
  }
}
