package io.soulgraph.benchmarks;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic inputs shared by the benchmarks (seeded; generated before measuring). */
final class Fixtures {

  private static final String[] WORDS = {
    "hello", "world", "alice", "bob", "Grüße", "line\nbreak", "quote\"d", "tab\tbed", "zzz"
  };

  private Fixtures() {}

  /** A value of a realistic kind: mostly short strings, then numbers, links, booleans, null. */
  static Value value(SplittableRandom random) {
    return switch (random.nextInt(10)) {
      case 0, 1, 2, 3 -> Value.of(WORDS[random.nextInt(WORDS.length)] + random.nextInt(100));
      case 4, 5 -> Value.of(random.nextInt(100_000) / 100.0);
      case 6 -> Value.link("soul" + random.nextInt(1_000));
      case 7 -> Value.of(random.nextBoolean());
      case 8 -> Value.NULL;
      default -> Value.of(WORDS[random.nextInt(WORDS.length)]);
    };
  }

  /** An equal value that is a different object with a different String (no identity shortcut). */
  static Value copyOf(Value v) {
    return switch (v.kind()) {
      case STRING -> Value.of(new String(v.asString().toCharArray()));
      case NUMBER -> Value.of(v.asNumber());
      case LINK -> Value.link(new String(v.linkSoul().toCharArray()));
      default -> v;
    };
  }

  /**
   * Two versions of one node with the same {@code fields} field names: about half the fields are
   * newer in each, some are exact duplicates, some ties broken by text.
   */
  static Node[] nodePair(String soul, int fields, SplittableRandom random, double now) {
    Map<String, FieldState> a = new LinkedHashMap<>();
    Map<String, FieldState> b = new LinkedHashMap<>();
    for (int f = 0; f < fields; f++) {
      String name = "field" + f;
      double state = now - random.nextInt(1_000_000);
      FieldState mine = new FieldState(value(random), state);
      a.put(name, mine);
      b.put(name, switch (random.nextInt(6)) {
        case 0, 1 -> new FieldState(value(random), state + 1 + random.nextInt(999));
        case 2, 3 -> new FieldState(value(random), state - 1 - random.nextInt(999));
        case 4 -> new FieldState(copyOf(mine.value()), state);
        default -> new FieldState(value(random), state);
      });
    }
    return new Node[] {new Node(soul, a), new Node(soul, b)};
  }

  /** Two versions of a graph of {@code souls} nodes with {@code fields} fields each. */
  static Graph[] graphPair(int souls, int fields, SplittableRandom random, double now) {
    Map<String, Node> a = new LinkedHashMap<>();
    Map<String, Node> b = new LinkedHashMap<>();
    for (int s = 0; s < souls; s++) {
      String soul = "soul" + s;
      Node[] pair = nodePair(soul, fields, random, now);
      a.put(soul, pair[0]);
      b.put(soul, pair[1]);
    }
    return new Graph[] {new Graph(a), new Graph(b)};
  }
}
