package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hot index's compact node against the ordered map it replaced: after any sequence of commits
 * laid over it, it holds the same entries in the same order, whether it scans its names or keeps
 * a hash table of them (past 16 fields).
 */
final class HotNodeTest {

  @Test
  void mergedCommits_holdWhatAnOrderedMapHolds_smallAndWideNodes() {
    Random random = new Random(20261204);
    for (int trial = 0; trial < 300; trial++) {
      int names = 1 + random.nextInt(trial % 3 == 0 ? 400 : 24);
      Map<String, FieldEntry> expected = new LinkedHashMap<>();
      HotNode node = HotNode.ABSENT;
      for (int commit = 0; commit < 6; commit++) {
        Map<String, FieldEntry> changed = new LinkedHashMap<>();
        int fields = 1 + random.nextInt(names);
        for (int i = 0; i < fields; i++) {
          changed.put("f" + random.nextInt(names), entry(random));
        }
        expected.putAll(changed);
        node = node.merge(commit == 0 ? "v" + trial : null, changed);
        assertSameFields(expected, node.fields());
        assertEquals(new HotNode("v", expected).weight("s"), node.weight("s"),
            "kept as commits are laid over, the weight is what summing all fields gives");
        List<String> odd = new ArrayList<>();
        node.forEachField(name -> name.hashCode() % 2 != 0, (name, entry) -> {
          assertEquals(expected.get(name), entry);
          odd.add(name);
        });
        assertEquals(expected.keySet().stream().filter(name -> name.hashCode() % 2 != 0).toList(),
            odd);
      }
      assertEquals("v" + trial, node.vertexId());
      assertSameFields(expected, new HotNode("v", expected).fields());
    }
  }

  @Test
  void fieldsAreUnmodifiable_andUnknownNamesAreAbsent() {
    Map<String, FieldEntry> fields = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      fields.put("name" + i, new FieldEntry(new FieldState(Value.of(i), 1), new Dot("r", i + 1)));
    }
    HotNode node = new HotNode(7L, fields);
    assertNull(node.fields().get("name40"));
    assertNull(node.fields().get(40));
    assertFalse(node.fields().containsKey("Name1"));
    assertThrows(UnsupportedOperationException.class, () -> node.fields().put("x", null));
    assertThrows(UnsupportedOperationException.class, () -> node.fields().clear());
    assertTrue(HotNode.ABSENT.fields().isEmpty());
    assertEquals(Value.of(39), node.toNode("s").fields().get("name39").value());
  }

  private static void assertSameFields(
      Map<String, FieldEntry> expected, Map<String, FieldEntry> actual) {
    assertEquals(expected, actual);
    assertEquals(expected.size(), actual.size());
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
    List<String> visited = new ArrayList<>();
    actual.forEach((name, entry) -> {
      visited.add(name);
      assertEquals(expected.get(name), entry);
    });
    assertEquals(new ArrayList<>(expected.keySet()), visited);
    for (String name : expected.keySet()) {
      assertTrue(actual.containsKey(name), name);
      assertEquals(expected.get(name), actual.get(name), name);
    }
  }

  private static FieldEntry entry(Random random) {
    Value value = switch (random.nextInt(4)) {
      case 0 -> Value.of("s" + random.nextInt(1000));
      case 1 -> Value.of(random.nextInt(1000) / 4.0);
      case 2 -> Value.link("soul" + random.nextInt(10));
      default -> Value.NULL;
    };
    return new FieldEntry(new FieldState(value, random.nextInt(100) + random.nextDouble()),
        new Dot("replica" + random.nextInt(3), 1 + random.nextInt(1_000_000)));
  }
}
