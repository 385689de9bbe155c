package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.simulation;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Update;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Writers whose clocks are minutes apart: whenever a replica overwrites a field it has seen a
 * value for, the overwrite outranks that value, and after convergence every replica holds the
 * overwrite or something newer, never the value it replaced, even when the writer's clock was
 * behind the state it overwrote.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class ClockSkewTest {

  @Test
  void causalOverwrite_writerClockSkewed_winsEverywhereAfterConvergence() {
    AtomicInteger overwritesFromBehind = new AtomicInteger();
    simulation().forAll(Scenario.scenarios(ConvergenceTest.MAX_SKEW_MILLIS)).checkAssert(s -> {
      Network<Update> network = ConvergenceTest.assertConverges(HamPeer.factory(), s);
      Graph converged = network.snapshots().get(0);
      for (Network.Written w : network.written()) {
        if (w.overwritten() == null) {
          continue;
        }
        if (w.overwritten().state() > w.writerMillis()) {
          overwritesFromBehind.incrementAndGet();
        }
        FieldState last = converged.field(w.soul(), w.field());
        assertTrue(FieldState.HAM_ORDER.compare(w.state(), w.overwritten()) > 0,
            () -> w + ": the overwrite does not outrank what its writer had seen");
        assertTrue(FieldState.HAM_ORDER.compare(last, w.state()) >= 0,
            () -> w + ": the replicas converged on the older " + last);
      }
    });
    assertTrue(overwritesFromBehind.get() > 0,
        "no writer ever overwrote a state ahead of its own clock: the property was vacuous");
  }
}
