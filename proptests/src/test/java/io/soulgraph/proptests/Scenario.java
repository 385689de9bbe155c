package io.soulgraph.proptests;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.soulgraph.ham.Value;
import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * One simulated run, as QuickTheories generates it: how many peers, how skewed their clocks are,
 * which values they write, and the seed of the run's own random choices (which peer writes, which
 * message arrives next, delays, duplicates, partitions), as in Yjs's seeded TestConnector. A
 * failure prints the scenario, and the same scenario replays the same run.
 *
 * @param peers number of replicas, 2 to 6
 * @param skewsMillis each peer's clock offset from true time (only the first {@code peers} used)
 * @param values the values peers write (a small pool, so equal values collide)
 * @param seed the seed of the run's random choices
 * @param steps how many random actions the run takes before it drains the network
 */
record Scenario(int peers, List<Long> skewsMillis, List<Value> values, long seed, int steps) {

  /** Runs with peers whose clocks are off by up to {@code maxSkewMillis} either way. */
  static Gen<Scenario> scenarios(long maxSkewMillis) {
    Gen<Long> skew = Generate.frequency(
        Pair.of(1, Generate.pick(List.of(0L, maxSkewMillis / 2, -maxSkewMillis / 2))),
        Pair.of(2, longs().between(-maxSkewMillis, maxSkewMillis)));
    return integers().between(2, 6).zip(
        lists().of(skew).ofSize(6),
        lists().of(HamGen.tieProneValues()).ofSizeBetween(1, 6),
        longs().all(),
        integers().between(20, 150),
        Scenario::new);
  }
}
