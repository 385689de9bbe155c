package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.theory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * A {@link CausalContext} behaves exactly as the set of dots added to it (directly or by merging
 * another context), whatever the order, and its compact form is canonical: the same set of dots
 * gives equal contexts however it was built.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class CausalContextModelTest {

  private static final List<String> REPLICAS = List.of("a", "b", "c");
  private static final int MAX_COUNTER = 6;

  private static Gen<Dot> dots() {
    return Generate.pick(REPLICAS).zip(integers().between(1, MAX_COUNTER), (r, n) -> new Dot(r, n));
  }

  private static CausalContext build(List<Dot> dots) {
    CausalContext context = new CausalContext();
    dots.forEach(context::add);
    return context;
  }

  @Test
  void addAndMerge_anyDots_containsExactlyTheirUnion() {
    theory().forAll(lists().of(dots()).ofSizeBetween(0, 15),
            lists().of(dots()).ofSizeBetween(0, 15))
        .checkAssert((mine, theirs) -> {
          CausalContext context = build(mine);
          CausalContext snapshot = context.copy();
          context.merge(build(theirs));
          Set<Dot> union = new HashSet<>(mine);
          union.addAll(theirs);
          for (String replica : REPLICAS) {
            for (long n = 1; n <= MAX_COUNTER + 1; n++) {
              Dot dot = new Dot(replica, n);
              assertEquals(union.contains(dot), context.contains(dot), () -> "dot " + dot);
              assertEquals(mine.contains(dot), snapshot.contains(dot), () -> "copy, dot " + dot);
            }
          }
        });
  }

  @Test
  void add_sameDotsInAnotherOrder_givesAnEqualContext() {
    theory().forAll(lists().of(dots()).ofSizeBetween(0, 15), integers().all())
        .checkAssert((dots, shuffleSeed) -> {
          List<Dot> shuffled = new ArrayList<>(dots);
          Collections.shuffle(shuffled, new Random(shuffleSeed));
          assertEquals(build(dots), build(shuffled));
          assertEquals(build(dots).vector(), build(shuffled).vector());
        });
  }
}
