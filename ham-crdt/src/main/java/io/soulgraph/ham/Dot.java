package io.soulgraph.ham;

import java.util.Objects;

/**
 * The identity of one accepted write: the replica that first accepted it and that replica's
 * counter at the time. Anti-entropy tracks which dots a replica has seen ({@link CausalContext}).
 */
public record Dot(String replica, long counter) {

  public Dot {
    Objects.requireNonNull(replica, "replica");
    if (counter < 1) {
      throw new IllegalArgumentException("Expected a counter >= 1 but received " + counter);
    }
  }

  @Override
  public String toString() {
    return replica + ":" + counter;
  }
}
