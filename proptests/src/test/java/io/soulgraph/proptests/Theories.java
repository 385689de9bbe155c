package io.soulgraph.proptests;

import static org.quicktheories.QuickTheory.qt;

import org.quicktheories.QuickTheory;

/**
 * Where every property gets its QuickTheories configuration: the number of examples comes from the
 * system property {@code proptests.examples} (the root pom passes 200, {@code -Pextensive} 5000),
 * and a failing run is replayed by passing the seed it printed ("Seed was N") as
 * {@code -Dproptests.seed=N}. QuickTheories' failure message always ends with that seed.
 */
final class Theories {

  /** Examples when the build passes none (an IDE run). */
  static final int DEFAULT_EXAMPLES = 200;

  private static final int SIMULATION_SHRINK_CYCLES = 200;

  private Theories() {}

  /** The number of examples of this tier. */
  static int examples() {
    return Integer.getInteger("proptests.examples", DEFAULT_EXAMPLES);
  }

  /** A theory with this tier's examples, or {@code divisor}-times fewer for costly properties. */
  static QuickTheory theory(int divisor) {
    QuickTheory theory = qt().withExamples(Math.max(20, examples() / divisor));
    String seed = System.getProperty("proptests.seed");
    return seed == null || seed.isBlank() ? theory : theory.withFixedSeed(Long.parseLong(seed));
  }

  /**
   * A theory for network simulations: a quarter of the examples (each runs a whole network), and
   * few shrink cycles, since a scenario shrinks mostly by trying other seeds.
   */
  static QuickTheory simulation() {
    return simulation(4);
  }

  /** A theory for network simulations with {@code divisor}-times fewer examples than the tier. */
  static QuickTheory simulation(int divisor) {
    return theory(divisor).withShrinkCycles(SIMULATION_SHRINK_CYCLES);
  }

  /** A theory with this tier's examples. */
  static QuickTheory theory() {
    return theory(1);
  }
}
