package io.soulgraph.ham;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A set of nodes by soul: a whole replica's data, or a diff (a put) of some fields of some nodes.
 * Immutable.
 */
public record Graph(Map<String, Node> nodes) {

  /** The graph with no nodes. */
  public static final Graph EMPTY = new Graph(Map.of());

  public Graph {
    nodes.forEach(
        (soul, node) -> {
          if (!soul.equals(node.soul())) {
            throw new IllegalArgumentException(
                "Expected the node under key " + soul + " to have that soul but it has "
                    + node.soul());
          }
        });
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  /** A graph of the given nodes. */
  public static Graph of(Node... nodes) {
    Map<String, Node> map = new LinkedHashMap<>();
    for (Node node : nodes) {
      map.merge(node.soul(), node, Node::join);
    }
    return new Graph(map);
  }

  /** The node with that soul, or {@code null}. */
  public Node node(String soul) {
    return nodes.get(soul);
  }

  /** The field, or {@code null} if the node or the field is absent. */
  public FieldState field(String soul, String field) {
    Node node = nodes.get(Objects.requireNonNull(soul, "soul"));
    return node == null ? null : node.field(field);
  }

  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  /** The number of fields over all nodes. */
  public int fieldCount() {
    int count = 0;
    for (Node node : nodes.values()) { // no stream: this is asked several times per put
      count += node.fields().size();
    }
    return count;
  }

  /** The join of two graphs: per soul, {@link Node#join}. A join-semilattice. */
  public Graph join(Graph other) {
    Map<String, Node> merged = new LinkedHashMap<>(nodes);
    other.nodes.forEach((soul, node) -> merged.merge(soul, node, Node::join));
    return new Graph(merged);
  }
}
