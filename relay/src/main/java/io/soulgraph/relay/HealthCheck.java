package io.soulgraph.relay;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One named part of the relay's health, reported under {@code checks} by {@code /health}: the
 * relay is healthy (200) only while every check reports no problem.
 *
 * @param name the key under {@code checks} (e.g. {@code storage})
 * @param problem what is wrong now, or empty when this part works; called on every request, so it
 *     must be cheap and never block
 */
public record HealthCheck(String name, Supplier<Optional<String>> problem) {

  public HealthCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(problem, "problem");
  }
}
