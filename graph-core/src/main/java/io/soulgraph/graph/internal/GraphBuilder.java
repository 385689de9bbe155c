package io.soulgraph.graph.internal;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/** Collects fields into a {@link Graph}, later fields of the same soul and name replacing earlier. */
final class GraphBuilder {

  private final Map<String, Map<String, FieldState>> nodes = new LinkedHashMap<>();

  void add(String soul, String field, FieldState fs) {
    nodes.computeIfAbsent(soul, s -> new LinkedHashMap<>()).put(field, fs);
  }

  boolean isEmpty() {
    return nodes.isEmpty();
  }

  Graph build() {
    Map<String, Node> built = new LinkedHashMap<>();
    nodes.forEach((soul, fields) -> built.put(soul, new Node(soul, fields)));
    return new Graph(built);
  }
}
