package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.theory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.soulgraph.ham.VectorClock;
import io.soulgraph.ham.VectorClock.Order;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Vector clocks: merge is a join (commutative, associative, idempotent, the pointwise maximum),
 * and compare is the pointwise partial order, mirrored when the arguments swap. Counters are
 * small so that equal and ordered clocks are common.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class VectorClockAlgebraTest {

  private static final List<String> REPLICAS = List.of("a", "b", "c", "d");

  static Gen<VectorClock> clocks() {
    return lists().of(integers().between(0, 3)).ofSize(REPLICAS.size()).map(counters -> {
      Map<String, Long> map = new HashMap<>();
      for (int i = 0; i < REPLICAS.size(); i++) {
        map.put(REPLICAS.get(i), (long) counters.get(i));
      }
      return VectorClock.of(map);
    });
  }

  @Test
  void merge_anyClocks_isCommutativeAssociativeIdempotent() {
    theory().forAll(clocks(), clocks(), clocks()).checkAssert((a, b, c) -> {
      assertEquals(a.merge(b), b.merge(a));
      assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
      assertEquals(a, a.merge(a));
    });
  }

  @Test
  void merge_anyTwoClocks_isThePointwiseMaximum() {
    theory().forAll(clocks(), clocks()).checkAssert((a, b) -> {
      VectorClock m = a.merge(b);
      REPLICAS.forEach(r -> assertEquals(Math.max(a.get(r), b.get(r)), m.get(r)));
      assertTrue(a.compare(m) == Order.BEFORE || a.compare(m) == Order.EQUAL);
    });
  }

  @Test
  void compare_anyTwoClocks_isThePointwiseOrderAndMirrors() {
    theory().forAll(clocks(), clocks()).checkAssert((a, b) -> {
      boolean le = REPLICAS.stream().allMatch(r -> a.get(r) <= b.get(r));
      boolean ge = REPLICAS.stream().allMatch(r -> a.get(r) >= b.get(r));
      Order expected = le && ge ? Order.EQUAL : le ? Order.BEFORE : ge ? Order.AFTER
          : Order.CONCURRENT;
      assertEquals(expected, a.compare(b));
      assertEquals(mirror(expected), b.compare(a));
      assertEquals(expected == Order.EQUAL, a.equals(b));
      assertEquals(expected == Order.BEFORE, a.happensBefore(b));
    });
  }

  @Test
  void increment_anyClock_happensAfterIt() {
    theory().forAll(clocks(), Generate.pick(REPLICAS))
        .checkAssert((a, r) -> assertEquals(Order.AFTER, a.increment(r).compare(a)));
  }

  private static Order mirror(Order order) {
    return switch (order) {
      case BEFORE -> Order.AFTER;
      case AFTER -> Order.BEFORE;
      default -> order;
    };
  }
}
