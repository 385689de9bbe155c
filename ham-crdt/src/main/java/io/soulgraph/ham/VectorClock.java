package io.soulgraph.ham;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A vector clock (also used as a version vector): one counter per replica id, absent meaning 0.
 * Immutable.
 *
 * <p>Vector clocks order events causally. They never pick a HAM winner (see {@link Ham} for why);
 * they serve causality checks, conflict reporting and anti-entropy.
 */
public final class VectorClock {

  /** How two clocks relate. */
  public enum Order { BEFORE, AFTER, EQUAL, CONCURRENT }

  /** The clock with every counter at 0. */
  public static final VectorClock EMPTY = new VectorClock(new TreeMap<>());

  private final TreeMap<String, Long> counters;

  private VectorClock(TreeMap<String, Long> counters) {
    this.counters = counters;
  }

  /** A clock with the given counters (zero counters are dropped). */
  public static VectorClock of(Map<String, Long> counters) {
    TreeMap<String, Long> copy = new TreeMap<>();
    counters.forEach(
        (replica, n) -> {
          if (n < 0) {
            throw new IllegalArgumentException(
                "Expected a counter >= 0 for " + replica + " but received " + n);
          }
          if (n > 0) {
            copy.put(Objects.requireNonNull(replica, "replica"), n);
          }
        });
    return new VectorClock(copy);
  }

  /** The counter of one replica (0 if absent). */
  public long get(String replica) {
    return counters.getOrDefault(replica, 0L);
  }

  /** This clock with {@code replica}'s counter raised by one. */
  public VectorClock increment(String replica) {
    return with(replica, get(replica) + 1);
  }

  /** This clock with {@code replica}'s counter set to {@code n}. */
  public VectorClock with(String replica, long n) {
    TreeMap<String, Long> copy = new TreeMap<>(counters);
    if (n == 0) {
      copy.remove(replica);
    } else {
      copy.put(replica, n);
    }
    return new VectorClock(copy);
  }

  /** The pointwise maximum: the least clock that is after or equal to both. */
  public VectorClock merge(VectorClock other) {
    TreeMap<String, Long> copy = new TreeMap<>(counters);
    other.counters.forEach((replica, n) -> copy.merge(replica, n, Math::max));
    return new VectorClock(copy);
  }

  /** How this clock relates to {@code other}. */
  public Order compare(VectorClock other) {
    boolean someLess = false;
    boolean someGreater = false;
    Set<String> replicas = new HashSet<>(counters.keySet());
    replicas.addAll(other.counters.keySet());
    for (String replica : replicas) {
      int cmp = Long.compare(get(replica), other.get(replica));
      someLess |= cmp < 0;
      someGreater |= cmp > 0;
    }
    if (someLess && someGreater) {
      return Order.CONCURRENT;
    }
    return someLess ? Order.BEFORE : someGreater ? Order.AFTER : Order.EQUAL;
  }

  /** True if this clock is strictly before {@code other}: every counter ≤, and some &lt;. */
  public boolean happensBefore(VectorClock other) {
    return compare(other) == Order.BEFORE;
  }

  /** The replica ids with a non-zero counter, and their counters. */
  public Map<String, Long> counters() {
    return Collections.unmodifiableMap(counters);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VectorClock other && counters.equals(other.counters);
  }

  @Override
  public int hashCode() {
    return counters.hashCode();
  }

  @Override
  public String toString() {
    return counters.toString();
  }
}
