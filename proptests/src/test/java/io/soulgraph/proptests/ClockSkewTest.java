package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.simulation;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  /** A writer counts as "behind" if the value it overwrote was stamped this far in its future. */
  private static final long BEHIND_MILLIS = 1_000;

  private static final double DRIFT_AS_LARGE_AS_SKEW = 2 * ConvergenceTest.MAX_SKEW_MILLIS;

  @Test
  void causalOverwrite_skewedClocksGunDrift_winsEverywhereAfterConvergence() {
    checkCausalOverwrites(HamPeer.factory(0));
  }

  /**
   * With a drift as large as the skew, slow replicas accept fast writers' states at once, so they
   * overwrite states minutes ahead of their own clocks: causal stamping is what makes them win.
   */
  @Test
  void causalOverwrite_slowWriterAcceptsFutureStates_winsEverywhereAfterConvergence() {
    int fromBehind = checkCausalOverwrites(HamPeer.factory(DRIFT_AS_LARGE_AS_SKEW));
    assertTrue(fromBehind > 0,
        "no writer ever overwrote a state ahead of its own clock: the property was vacuous");
  }

  /** Non-vacuity: writers that stamp with their clock alone must be caught losing overwrites. */
  @Test
  void causalOverwrite_writersStampWithPlainClock_propertyFindsLostOverwrite() {
    AssertionError failure = assertThrows(AssertionError.class,
        () -> checkCausalOverwrites(PlainStampPeer.factory(DRIFT_AS_LARGE_AS_SKEW)));
    assertTrue(failure.getMessage().contains("Seed was"), failure::getMessage);
  }

  /** Runs the property; returns how many overwrites came from a writer whose clock was behind. */
  private static int checkCausalOverwrites(Peer.Factory<Update> peers) {
    AtomicInteger fromBehind = new AtomicInteger();
    simulation().forAll(Scenario.scenarios(ConvergenceTest.MAX_SKEW_MILLIS)).checkAssert(s -> {
      Network<Update> network = ConvergenceTest.assertConverges(peers, s);
      Graph converged = network.snapshots().get(0);
      for (Network.Written w : network.written()) {
        if (w.overwritten() == null) {
          continue;
        }
        if (w.overwritten().state() > w.writerMillis() + BEHIND_MILLIS) {
          fromBehind.incrementAndGet();
        }
        FieldState last = converged.field(w.soul(), w.field());
        assertTrue(FieldState.HAM_ORDER.compare(w.state(), w.overwritten()) > 0,
            () -> w + ": the overwrite does not outrank what its writer had seen");
        assertTrue(FieldState.HAM_ORDER.compare(last, w.state()) >= 0,
            () -> w + ": the replicas converged on the older " + last);
      }
    });
    return fromBehind.get();
  }
}
