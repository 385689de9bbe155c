package io.soulgraph.graph.internal;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;

/**
 * Estimated heap bytes of what the store holds, so that every bound a writer can push against is
 * in bytes, not counts: a count bound lets one wide field or one long soul cost as much as a
 * million small ones. The estimates are deliberately rough but never below the real cost of the
 * strings (2 bytes per UTF-16 unit with Java's compact strings off, the worst case).
 */
final class Weights {

  /**
   * Objects around one field: in the hot index its array slots, the Value and a boxed number
   * (about 70 bytes); in a batch or queue a map entry, FieldState, FieldEntry and Dot. A node
   * read since its last write also holds its {@code Node} view, about 70 bytes a field more.
   */
  private static final int FIELD_OVERHEAD = 160;
  /** A soul's map entry and node objects. */
  private static final int NODE_OVERHEAD = 96;

  private Weights() {}

  static long field(String name, FieldState state) {
    return field(name, state.value());
  }

  static long field(String name, Value value) {
    return FIELD_OVERHEAD + 2L * (name.length() + value.json().length());
  }

  static long node(Node node) {
    long bytes = NODE_OVERHEAD + 2L * node.soul().length();
    for (var e : node.fields().entrySet()) {
      bytes += field(e.getKey(), e.getValue());
    }
    return bytes;
  }

  static long graph(Graph graph) {
    long bytes = 0;
    for (Node node : graph.nodes().values()) {
      bytes += node(node);
    }
    return bytes;
  }
}
