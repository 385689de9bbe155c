package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.simulation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.Value;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/**
 * The convergence and partition properties of {@link ConvergenceTest}, run against real
 * {@link io.soulgraph.graph.SoulStore}s (in-memory JanusGraph) instead of in-memory replicas, with
 * anti-entropy streamed through the stores' cursors in batches of {@link AntiEntropy#BATCH}; and
 * the writer canary, which must still be caught. Each scenario opens a store per peer, so these
 * properties take a tenth of the tier's examples (at least 20).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
final class StoreConvergenceTest {

  private static final int DIVISOR = 10;

  /**
   * The scenarios of {@link ConvergenceTest}, with values a store accepts: a link to the empty
   * soul is not one (a store refuses it whole, {@code InvalidDiffException}), so it becomes "".
   */
  private static Gen<Scenario> storeScenarios() {
    return Scenario.scenarios(ConvergenceTest.MAX_SKEW_MILLIS).map(s -> new Scenario(s.peers(),
        s.skewsMillis(), s.values().stream()
            .map(v -> v.isLink() && v.linkSoul().isEmpty() ? Value.of("") : v).toList(),
        s.seed(), s.steps()));
  }

  @Test
  void stores_randomOrderDuplicatesAndDelays_endIdenticalHoldingJoinOfAllWrites() {
    simulation(DIVISOR).forAll(storeScenarios())
        .checkAssert(scenario -> {
          StorePeer.Factory stores = StorePeer.factory(0);
          try {
            Network<Update> network = ConvergenceTest.assertConverges(stores, scenario);
            assertEquals(ConvergenceTest.joinOfAllWrites(network.written()),
                network.snapshots().get(0));
          } finally {
            stores.closeAll();
          }
        });
  }

  /** Stores and replicas in one network, partitioned, then streamed anti-entropy. */
  @Test
  void storesAndReplicas_partitionsThenStreamedAntiEntropy_endIdenticalWithNothingMissing() {
    AtomicInteger divergedBeforeAntiEntropy = new AtomicInteger();
    simulation(DIVISOR).forAll(storeScenarios())
        .checkAssert(scenario -> {
          StorePeer.Factory peers = StorePeer.mixedWithReplicas(0);
          try {
            Network<Update> network = new Network<>(peers, scenario);
            network.run(true, AntiEntropy::exchange);
            network.heal();
            network.drain();
            network.settle();
            if (new HashSet<>(network.snapshots()).size() > 1) {
              divergedBeforeAntiEntropy.incrementAndGet();
            }
            AntiEntropy.starRounds(network.peers());
            ConvergenceTest.assertAllEqual(network.snapshots());
            AntiEntropy.assertNothingMissing(network.peers());
            assertEquals(ConvergenceTest.joinOfAllWrites(network.written()),
                network.snapshots().get(0));
          } finally {
            peers.closeAll();
          }
        });
    assertTrue(divergedBeforeAntiEntropy.get() > 0,
        "partitions never lost a write that mattered: the property was vacuous");
  }

  /**
   * Non-vacuity on stores: writers that stamp with their clock alone (and stores that accept
   * minutes-ahead states at once) must be caught losing an overwrite.
   */
  @Test
  void causalOverwrite_storeWritersStampWithPlainClock_propertyFindsLostOverwrite() {
    AssertionError failure = assertThrows(AssertionError.class,
        () -> simulation(DIVISOR).withShrinkCycles(1).forAll(storeScenarios())
            .checkAssert(scenario -> {
              StorePeer.Factory stores =
                  StorePeer.plainStamps(2 * ConvergenceTest.MAX_SKEW_MILLIS);
              try {
                Network<Update> network = ConvergenceTest.assertConverges(stores, scenario);
                Graph converged = network.snapshots().get(0);
                for (Network.Written w : network.written()) {
                  if (w.overwritten() != null) {
                    assertTrue(FieldState.HAM_ORDER.compare(w.state(), w.overwritten()) > 0,
                        () -> w + ": the overwrite does not outrank what its writer had seen");
                    FieldState last = converged.field(w.soul(), w.field());
                    assertTrue(FieldState.HAM_ORDER.compare(last, w.state()) >= 0,
                        () -> w + ": the replicas converged on the older " + last);
                  }
                }
              } finally {
                stores.closeAll();
              }
            }));
    assertTrue(failure.getMessage().contains("Seed was"), failure::getMessage);
    // caught by the property itself, not by a store failing
    assertTrue(failure.getMessage().contains("outrank")
        || failure.getMessage().contains("converged on the older")
        || failure.getMessage().contains("diverged"), failure::getMessage);
  }
}
