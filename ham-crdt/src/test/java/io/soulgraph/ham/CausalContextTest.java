package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class CausalContextTest {

  @Test
  void add_outOfOrderDots_compactOnceTheGapFills() {
    CausalContext ctx = new CausalContext();
    ctx.add(new Dot("p", 2));
    ctx.add(new Dot("p", 3));
    assertEquals(0, ctx.vector().get("p"));
    assertEquals(Set.of(new Dot("p", 2), new Dot("p", 3)), ctx.cloud());
    assertFalse(ctx.contains(new Dot("p", 1)));
    ctx.add(new Dot("p", 1));
    assertEquals(3, ctx.vector().get("p"));
    assertTrue(ctx.cloud().isEmpty());
  }

  @Test
  void merge_takesOverVectorAndCloud() {
    CausalContext a = new CausalContext(VectorClock.of(Map.of("p", 2L)), Set.of(new Dot("q", 5)));
    CausalContext b = new CausalContext(VectorClock.of(Map.of("q", 4L)), Set.of());
    a.merge(b);
    assertEquals(VectorClock.of(Map.of("p", 2L, "q", 5L)), a.vector());
    assertTrue(a.cloud().isEmpty());
  }
}
