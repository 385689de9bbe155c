package io.soulgraph.graph.internal;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Node;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the hot index holds for one soul: its vertex id (null if the soul has no vertex) and its
 * committed field entries. Immutable.
 */
record HotNode(Object vertexId, Map<String, FieldEntry> fields) {

  static final HotNode ABSENT = new HotNode(null, Map.of());

  HotNode {
    fields = Collections.unmodifiableMap(fields);
  }

  /** This node with {@code changed} entries laid over it. */
  HotNode merge(Object newVertexId, Map<String, FieldEntry> changed) {
    Map<String, FieldEntry> merged = new LinkedHashMap<>(fields);
    merged.putAll(changed);
    return new HotNode(newVertexId != null ? newVertexId : vertexId, merged);
  }

  Node toNode(String soul) {
    Map<String, FieldState> states = new LinkedHashMap<>();
    fields.forEach((name, entry) -> states.put(name, entry.fieldState()));
    return new Node(soul, states);
  }

  int weight() {
    return 1 + fields.size();
  }
}
