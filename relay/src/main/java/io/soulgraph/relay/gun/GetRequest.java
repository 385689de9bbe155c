package io.soulgraph.relay.gun;

import java.util.Objects;

/**
 * What a get asks for: a whole node, one field, or fields matching a LEX selector.
 *
 * @param soul the node's soul
 * @param field the field selector, or {@code null} for the whole node
 */
public record GetRequest(String soul, FieldSelector field) {

  public GetRequest {
    Objects.requireNonNull(soul, "soul");
  }

  /** The whole node. */
  public static GetRequest node(String soul) {
    return new GetRequest(soul, null);
  }

  /** Which fields of a node a get asks for. */
  public sealed interface FieldSelector {
    /** Whether a field name is selected. */
    boolean matches(String name);
  }

  /** Exactly one field ({@code ".": key}). */
  public record Exact(String name) implements FieldSelector {
    @Override
    public boolean matches(String candidate) {
      return name.equals(candidate);
    }
  }

  /**
   * A LEX selector ({@code ".": {"*": prefix, ">": from, "<": to}}); absent parts are null. GunDB
   * answers these from RAD only and stops early; this relay returns every matching field.
   */
  public record Lex(String prefix, String from, String to) implements FieldSelector {
    @Override
    public boolean matches(String name) {
      return (prefix == null || name.startsWith(prefix))
          && (from == null || name.compareTo(from) >= 0)
          && (to == null || name.compareTo(to) <= 0);
    }
  }
}
