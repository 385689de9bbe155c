package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.simulation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Networks of 2 to 6 replicas with skewed clocks, messages delivered late, out of order and
 * twice, end identical; with partitions that lose messages, anti-entropy makes them identical.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
final class ConvergenceTest {

  /** Clocks are off by up to five minutes either way. */
  static final long MAX_SKEW_MILLIS = 5 * 60_000;

  /**
   * The convergence property, for any resolver: run the scenario, deliver everything, let every
   * clock pass every state; then all replicas hold the same data.
   */
  static <M> Network<M> assertConverges(Peer.Factory<M> factory, Scenario scenario) {
    Network<M> network = new Network<>(factory, scenario);
    network.run(false, null);
    network.drain();
    network.settle();
    assertAllEqual(network.snapshots());
    return network;
  }

  static void assertAllEqual(List<Graph> snapshots) {
    for (int i = 1; i < snapshots.size(); i++) {
      int peer = i;
      assertEquals(snapshots.get(0), snapshots.get(i), () -> "p0 and p" + peer + " diverged");
    }
  }

  /** What every replica must end with: the join of every write ever made. */
  static Graph joinOfAllWrites(List<Network.Written> written) {
    Graph all = Graph.EMPTY;
    for (Network.Written w : written) {
      all = all.join(Graph.of(new Node(w.soul(), Map.of(w.field(), w.state()))));
    }
    return all;
  }

  @Test
  void replicas_randomOrderDuplicatesAndDelays_endIdentical() {
    simulation().forAll(Scenario.scenarios(MAX_SKEW_MILLIS))
        .checkAssert(scenario -> assertConverges(HamPeer.factory(), scenario));
  }

  @Test
  void replicas_afterDelivery_holdJoinOfAllWrites() {
    simulation().forAll(Scenario.scenarios(MAX_SKEW_MILLIS)).checkAssert(scenario -> {
      Network<Update> network = assertConverges(HamPeer.factory(), scenario);
      assertEquals(joinOfAllWrites(network.written()), network.snapshots().get(0));
    });
  }

  @Test
  void replicas_partitionsThenAntiEntropy_endIdenticalWithNothingMissing() {
    AtomicInteger divergedBeforeAntiEntropy = new AtomicInteger();
    simulation().forAll(Scenario.scenarios(MAX_SKEW_MILLIS)).checkAssert(scenario -> {
      Network<Update> network = new Network<>(HamPeer.factory(), scenario);
      network.run(true, AntiEntropy::exchange);
      network.heal();
      network.drain();
      network.settle();
      if (new HashSet<>(network.snapshots()).size() > 1) {
        divergedBeforeAntiEntropy.incrementAndGet();
      }
      AntiEntropy.starRounds(network.peers());
      assertAllEqual(network.snapshots());
      AntiEntropy.assertNothingMissing(network.peers());
      assertEquals(joinOfAllWrites(network.written()), network.snapshots().get(0));
    });
    assertTrue(divergedBeforeAntiEntropy.get() > 0,
        "partitions never lost a write that mattered: the property was vacuous");
  }
}
