package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class NodeGraphTest {

  @Test
  void join_keepsPerFieldWinners() {
    Node a = Node.empty("s").with("x", Value.of(1), 10).with("y", Value.of("a"), 20);
    Node b = Node.empty("s").with("x", Value.of(2), 11).with("y", Value.of("b"), 19);
    Node joined = a.join(b);
    assertEquals(Value.of(2), joined.field("x").value());
    assertEquals(Value.of("a"), joined.field("y").value());
    assertEquals(joined, b.join(a));
  }

  @Test
  void join_differentSouls_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> Node.empty("a").join(Node.empty("b")));
  }

  @Test
  void graph_keyMustBeTheSoul() {
    assertThrows(IllegalArgumentException.class, () -> new Graph(Map.of("a", Node.empty("b"))));
  }

  @Test
  void resolution_splitsAcceptedDeferredAndIgnored() {
    Graph current = Graph.of(Node.empty("s").with("old", Value.of("keep"), 50));
    Graph diff =
        Graph.of(
            Node.empty("s")
                .with("old", Value.of("stale"), 40)
                .with("new", Value.of("v"), 60)
                .with("future", Value.of("f"), 500),
            Node.empty("t").with("dup", Value.NULL, 1));
    Resolution r =
        Resolution.of(diff.join(Graph.EMPTY), current::field, 100, 0);
    assertEquals(Graph.of(Node.empty("s").with("new", Value.of("v"), 60),
        Node.empty("t").with("dup", Value.NULL, 1)), r.accepted());
    assertEquals(Graph.of(Node.empty("s").with("future", Value.of("f"), 500)), r.deferred());
    assertEquals(1, r.historical());
    assertEquals(0, r.equal());
  }
}
