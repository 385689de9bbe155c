package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.simulation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.Update;
import io.soulgraph.ham.Value;
import java.util.List;
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

  /** DESIGN.md's cycle itself: a &lt; b causally, b &lt; c and c &lt; a by timestamp. */
  @Test
  void designCycle_causalFirstResolver_replicasEndDifferent() {
    CausalFirstPeer p = new CausalFirstPeer("P", () -> 100_000);
    CausalFirstPeer q = new CausalFirstPeer("Q", () -> 50_000);
    CausalFirstPeer r = new CausalFirstPeer("R", () -> 70_000);
    CausalFirstPeer.Stamped a = p.write("s", "f", Value.of("a"));
    q.receive(a);
    CausalFirstPeer.Stamped b = q.write("s", "f", Value.of("b"));
    CausalFirstPeer.Stamped c = r.write("s", "f", Value.of("c"));
    CausalFirstPeer x = new CausalFirstPeer("X", () -> 200_000);
    CausalFirstPeer y = new CausalFirstPeer("Y", () -> 200_000);
    List.of(a, c, b).forEach(x::receive);
    List.of(b, c, a).forEach(y::receive);
    assertEquals(Value.of("b"), x.field("s", "f").value());
    assertEquals(Value.of("a"), y.field("s", "f").value());
  }

  /** The same writes under HAM: Q's causal stamp puts b after a, and every order ends with b. */
  @Test
  void designCycle_hamWithCausalStamps_replicasEndWithTheOverwrite() {
    HamPeer p = new HamPeer("P", () -> 100_000, 0);
    HamPeer q = new HamPeer("Q", () -> 50_000, 60_000); // drift: Q accepts a at once
    HamPeer r = new HamPeer("R", () -> 70_000, 0);
    Update a = p.write("s", "f", Value.of("a"));
    q.receive(a);
    Update b = q.write("s", "f", Value.of("b"));
    Update c = r.write("s", "f", Value.of("c"));
    HamPeer x = new HamPeer("X", () -> 200_000, 0);
    HamPeer y = new HamPeer("Y", () -> 200_000, 0);
    List.of(a, c, b).forEach(x::receive);
    List.of(b, c, a).forEach(y::receive);
    assertEquals(Value.of("b"), x.field("s", "f").value());
    assertEquals(x.snapshot(), y.snapshot());
  }
}
