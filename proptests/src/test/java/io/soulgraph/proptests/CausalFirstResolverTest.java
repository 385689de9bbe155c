package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.simulation;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The convergence property is not vacuous: run unchanged against the broken "causal order first,
 * timestamps for concurrent pairs" resolver ({@link CausalFirstPeer}) with skewed clocks, it must
 * find replicas that diverge.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class CausalFirstResolverTest {

  /**
   * About one scenario in eight makes this resolver diverge, so this property gets the tier's
   * full count of examples (the quick tier's 200 miss with probability below 1e-11).
   */
  @Test
  void convergence_causalFirstResolverWithSkewedClocks_findsDivergence() {
    AssertionError failure = assertThrows(AssertionError.class,
        () -> simulation(1).forAll(Scenario.scenarios(ConvergenceTest.MAX_SKEW_MILLIS))
            .checkAssert(scenario ->
                ConvergenceTest.assertConverges(CausalFirstPeer.factory(), scenario)));
    assertTrue(failure.getMessage().contains("diverged"), failure::getMessage);
    assertTrue(failure.getMessage().contains("Seed was"), failure::getMessage);
  }
}
