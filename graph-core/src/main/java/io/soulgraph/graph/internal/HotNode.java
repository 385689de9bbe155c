package io.soulgraph.graph.internal;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Node;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the hot index holds for one soul: its vertex id (null if the soul has no vertex) and its
 * committed field entries. Immutable; the {@link Node} view is built once, on first read, so hot
 * reads allocate nothing.
 */
final class HotNode {

  static final HotNode ABSENT = new HotNode(null, Map.of());

  private final Object vertexId;
  private final Map<String, FieldEntry> fields;
  /** Whether the vertex still holds an older version's whole-node record (its next write migrates it). */
  private final boolean legacyRecord;
  private Node node; // a benign race: Node is immutable, so any thread's copy is the same value

  HotNode(Object vertexId, Map<String, FieldEntry> fields) {
    this(vertexId, fields, false);
  }

  HotNode(Object vertexId, Map<String, FieldEntry> fields, boolean legacyRecord) {
    this.vertexId = vertexId;
    this.fields = Collections.unmodifiableMap(fields);
    this.legacyRecord = legacyRecord;
  }

  boolean legacyRecord() {
    return legacyRecord;
  }

  Object vertexId() {
    return vertexId;
  }

  Map<String, FieldEntry> fields() {
    return fields;
  }

  /** This node with {@code changed} entries laid over it (a commit, which also migrated it). */
  HotNode merge(Object newVertexId, Map<String, FieldEntry> changed) {
    Map<String, FieldEntry> merged = new LinkedHashMap<>(fields);
    merged.putAll(changed);
    return new HotNode(newVertexId != null ? newVertexId : vertexId, merged);
  }

  Node toNode(String soul) {
    Node built = node;
    if (built == null) {
      Map<String, FieldState> states = new LinkedHashMap<>();
      fields.forEach((name, entry) -> states.put(name, entry.fieldState()));
      built = new Node(soul, states);
      node = built;
    }
    return built;
  }

  /** Its weight in the bounded index: the estimated heap bytes of its soul and fields. */
  int weight(String soul) {
    long bytes = 96 + 2L * soul.length();
    for (Map.Entry<String, FieldEntry> e : fields.entrySet()) {
      bytes += Weights.field(e.getKey(), e.getValue().fieldState());
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
