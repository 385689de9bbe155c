package io.soulgraph.ham;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A node: its soul (globally unique id) and its fields, each a {@link FieldState}. Immutable; the
 * field map keeps insertion order.
 */
public record Node(String soul, Map<String, FieldState> fields) {

  public Node {
    Objects.requireNonNull(soul, "soul");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** A node with no fields. */
  public static Node empty(String soul) {
    return new Node(soul, Map.of());
  }

  /** This node with one field set (replaced, not merged). */
  public Node with(String field, Value value, double state) {
    Map<String, FieldState> copy = new LinkedHashMap<>(fields);
    copy.put(Objects.requireNonNull(field, "field"), new FieldState(value, state));
    return new Node(soul, copy);
  }

  /** The field, or {@code null} if this node has no such field. */
  public FieldState field(String name) {
    return fields.get(name);
  }

  /**
   * The join of two versions of the same node: per field, the greater under
   * {@link FieldState#HAM_ORDER}. Commutative, associative and idempotent.
   *
   * @throws IllegalArgumentException if the souls differ
   */
  public Node join(Node other) {
    if (!soul.equals(other.soul)) {
      throw new IllegalArgumentException(
          "Expected a node with soul " + soul + " but received " + other.soul);
    }
    Map<String, FieldState> merged = new LinkedHashMap<>(fields);
    other.fields.forEach((name, state) -> merged.merge(name, state, FieldState::join));
    return new Node(soul, merged);
  }
}
