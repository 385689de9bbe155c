package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

  /** Property: whatever the arrival order of the same dots, the context ends the same. */
  @Test
  void add_sameDotsInRandomOrder_equalsInOrderResult() {
    Random random = new Random(20261202L);
    for (int round = 0; round < 200; round++) {
      List<Dot> dots = new ArrayList<>();
      for (String replica : List.of("p", "q", "r")) {
        int n = 1 + random.nextInt(round < 100 ? 200 : 3000);
        for (long c = 1; c <= n; c++) {
          if (random.nextInt(10) != 0 || c == 1) {
            dots.add(new Dot(replica, c));
          }
        }
      }
      CausalContext inOrder = new CausalContext();
      dots.forEach(inOrder::add);
      List<Dot> shuffled = new ArrayList<>(dots);
      Collections.shuffle(shuffled, random);
      CausalContext anyOrder = new CausalContext();
      Set<Dot> added = new HashSet<>();
      for (Dot dot : shuffled) {
        anyOrder.add(dot);
        added.add(dot);
        if (round < 100 && random.nextInt(50) == 0) {
          assertEquals(added, seen(anyOrder, dots), "contains after each add, round " + round);
        }
      }
      assertEquals(inOrder, anyOrder, "round " + round);
      assertEquals(inOrder.hashCode(), anyOrder.hashCode());
      assertEquals(inOrder.cloud(), anyOrder.cloud());
      assertEquals(inOrder.cloud().size(), anyOrder.cloudSize());
      assertEquals(new CausalContext(inOrder.vector(), inOrder.cloud()), anyOrder);
    }
  }

  /** Property: merging two halves in either order gives the context of all the dots. */
  @Test
  void merge_randomHalves_equalsAddingAll() {
    Random random = new Random(7L);
    for (int round = 0; round < 100; round++) {
      CausalContext all = new CausalContext();
      CausalContext left = new CausalContext();
      CausalContext right = new CausalContext();
      for (long c = 1; c <= 1 + random.nextInt(1000); c++) {
        Dot dot = new Dot(random.nextBoolean() ? "p" : "q", c);
        if (random.nextInt(20) == 0) {
          continue;
        }
        all.add(dot);
        (random.nextBoolean() ? left : right).add(dot);
      }
      CausalContext leftFirst = left.copy();
      leftFirst.merge(right);
      right.merge(left);
      assertEquals(all, leftFirst, "round " + round);
      assertEquals(all, right, "round " + round);
    }
  }

  @Test
  void copy_isIndependentOfTheOriginal() {
    CausalContext ctx = new CausalContext();
    ctx.add(new Dot("p", 3));
    CausalContext snapshot = ctx.copy();
    ctx.add(new Dot("p", 70));
    ctx.add(new Dot("p", 1));
    ctx.add(new Dot("p", 2));
    assertEquals(3, ctx.vector().get("p"));
    assertEquals(Set.of(new Dot("p", 70)), ctx.cloud());
    assertEquals(0, snapshot.vector().get("p"));
    assertEquals(Set.of(new Dot("p", 3)), snapshot.cloud());
    assertFalse(snapshot.contains(new Dot("p", 70)));
  }

  @Test
  void add_farCounter_costsOneWordAndContainsIt() {
    CausalContext ctx = new CausalContext();
    ctx.add(new Dot("p", 1L << 40));
    ctx.add(new Dot("p", 1));
    assertTrue(ctx.contains(new Dot("p", 1L << 40)));
    assertFalse(ctx.contains(new Dot("p", (1L << 40) - 1)));
    assertEquals(1, ctx.cloudSize());
    List<Long> words = new ArrayList<>();
    ctx.forEachCloudWord((replica, index, bits) -> words.add(index));
    assertEquals(List.of((1L << 40) >>> 6), words);
  }

  @Test
  void ofCloudWords_runsAcrossWordBoundariesJoinTheVector() {
    CausalContext ctx = CausalContext.ofCloudWords(VectorClock.of(Map.of("p", 62L)),
        Map.of("p", Map.of(0L, 1L << 63, 1L, -1L, 2L, 0b101L)));
    assertEquals(128, ctx.vector().get("p"));
    assertEquals(Set.of(new Dot("p", 130)), ctx.cloud());
  }

  private static Set<Dot> seen(CausalContext ctx, List<Dot> candidates) {
    Set<Dot> seen = new HashSet<>();
    for (Dot dot : candidates) {
      if (ctx.contains(dot)) {
        seen.add(dot);
      }
    }
    return seen;
  }
}
