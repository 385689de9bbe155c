package io.soulgraph.relay.gun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import org.junit.jupiter.api.Test;

/** The {@code ##} hashes of replies captured from GunDB's relay (docs/gun-protocol.md §12). */
final class PutHashTest {

  @Test
  void of_singleFieldReply_matchesCapturedHash() {
    Graph put = Graph.of(Node.empty("rawnode").with("hello", Value.of("world"), 1795287911420.0));
    assertEquals(-1772828120, PutHash.of(put));
  }

  @Test
  void of_linkReply_matchesCapturedHash() {
    Graph put = Graph.of(Node.empty("a").with("b", Value.link("a/b"), 1795287893138.0));
    assertEquals(1463831888, PutHash.of(put));
  }

  @Test
  void of_mixedValuesInAnyOrder_matchesCapturedHash() {
    double s = 1795288453827.0;
    Graph put =
        Graph.of(
            Node.empty("interop/capt12/basic")
                .with("num", Value.of(42), s)
                .with("name", Value.of("alpha"), s)
                .with("gone", Value.NULL, s)
                .with("flag", Value.TRUE, s));
    assertEquals(967825231, PutHash.of(put));
  }
}
