package io.soulgraph.ham;

import java.util.Objects;

/** One field write as replicas exchange it: where, what, and its {@link Dot}. */
public record Update(String soul, String field, FieldState fieldState, Dot dot) {

  public Update {
    Objects.requireNonNull(soul, "soul");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(fieldState, "fieldState");
    Objects.requireNonNull(dot, "dot");
  }
}
