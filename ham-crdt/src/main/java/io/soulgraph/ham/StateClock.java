package io.soulgraph.ham;

import java.util.Objects;

/**
 * Hands out HAM states the way GunDB's {@code Gun.state()} does: the machine's milliseconds, and
 * within one millisecond {@code t + N/999} for the N-th extra call, so one writer's states strictly
 * increase. Unlike GunDB it also stays strictly increasing when the wall clock steps back.
 *
 * <p>{@link #stampAfter(double)} is the causal stamp for local writes (see {@link Ham}). Not
 * thread-safe; callers that share a clock synchronize.
 */
public final class StateClock {

  /** The step between two states handed out in the same millisecond, as in GunDB. */
  public static final double EPSILON = 1.0 / 999;

  private final Ticker ticker;
  private double last = Double.NEGATIVE_INFINITY;
  private double base = Double.NEGATIVE_INFINITY;
  private int counter;

  public StateClock(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** The machine state now, without handing out a state: the {@code now} HAM compares with. */
  public double now() {
    return ticker.millis();
  }

  /** A fresh state, strictly greater than every state this clock handed out before. */
  public double next() {
    long t = ticker.millis();
    if (t > last) {
      return restartAt(t);
    }
    counter++;
    double candidate = base + counter * EPSILON;
    if (candidate <= last) { // the wall clock stepped back, or a causal stamp jumped ahead
      return restartAt(Math.max(last + EPSILON, Math.nextUp(last)));
    }
    last = candidate;
    return candidate;
  }

  private double restartAt(double state) {
    base = state;
    counter = 0;
    last = state;
    return state;
  }

  /**
   * The causal stamp for a local write of a field whose highest state seen so far is
   * {@code highestSeen}: {@code max(next(), highestSeen + ε)}. A write made after seeing a value
   * therefore always wins over it, even from a machine whose clock is behind.
   */
  public double stampAfter(double highestSeen) {
    double fresh = next();
    if (fresh > highestSeen) {
      return fresh;
    }
    return restartAt(Math.max(highestSeen + EPSILON, Math.nextUp(highestSeen)));
  }
}
