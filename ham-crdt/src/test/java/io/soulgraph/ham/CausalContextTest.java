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

  @Test
  void add_manyDotsInReverse_cloudHoldsThemUntilTheFirstArrives() {
    CausalContext ctx = new CausalContext();
    for (long n = 100_000; n >= 2; n--) {
      ctx.add(new Dot("p", n));
    }
    assertEquals(0, ctx.vector().get("p"));
    assertEquals(99_999, ctx.cloud().size());
    ctx.add(new Dot("p", 1));
    assertEquals(100_000, ctx.vector().get("p"));
    assertTrue(ctx.cloud().isEmpty());
  }

  @Test
  void new_cloudWithChainsOfSeveralReplicas_compactsEveryChain() {
    CausalContext ctx = new CausalContext(VectorClock.of(Map.of("p", 1L)),
        Set.of(new Dot("p", 2), new Dot("p", 3), new Dot("p", 5), new Dot("q", 1),
            new Dot("q", 2), new Dot("r", 1), new Dot("p", 1)));
    assertEquals(VectorClock.of(Map.of("p", 3L, "q", 2L, "r", 1L)), ctx.vector());
    assertEquals(Set.of(new Dot("p", 5)), ctx.cloud());
    ctx.add(new Dot("p", 4));
    assertEquals(5, ctx.vector().get("p"));
    assertTrue(ctx.cloud().isEmpty());
  }
}
