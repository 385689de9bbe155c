package io.soulgraph.proptests;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators of HAM inputs. Ties decide the interesting cases, so every generator draws from a
 * small pool most of the time (equal states, equal values) and from the whole domain otherwise.
 */
final class HamGen {

  /** Characters JSON text has traps for: controls, escapes, DEL, U+2028/9, lone surrogates. */
  private static final List<Character> TRAP_CHARS =
      List.of('\u0000', '\u0001', '\u001f', '\b', '\f', '\n', '\r', '\t', '"', '\\', '/', '\u007f',
          '\u0080', '\u00e9', '\u2028', '\u2029', '\ufeff', '\uffff', '\ud800', '\udbff', '\udc00',
          '\udfff', '\ud83d', '\ude00', 'a', 'z', '0', ' ', '{', '#');

  private static final List<String> SMALL_STRINGS = List.of("", "a", "b", "ab", "\n", "\u00e9");
  private static final List<String> SMALL_SOULS = List.of("s1", "s2", "s3");

  /** States where ties and sign traps live: zeros of both signs, GunDB counters, negatives. */
  static final List<Double> SMALL_STATES =
      List.of(0.0, -0.0, 1.0, 1 + 1.0 / 999, 1795287994030.0, 1795287994030.0 + 1.0 / 999,
          1795287994031.0, -5.0);

  private HamGen() {}

  /** Strings with control characters, non-ASCII, surrogate pairs and lone surrogates. */
  static Gen<String> texts() {
    Gen<String> traps =
        lists().of(Generate.pick(TRAP_CHARS)).ofSizeBetween(0, 6).map(HamGen::join);
    return Generate.frequency(
        Pair.of(3, Generate.pick(SMALL_STRINGS)),
        Pair.of(4, traps),
        Pair.of(2, strings().allPossible().ofLengthBetween(0, 5)),
        Pair.of(1, strings().betweenCodePoints(0, 0x7f).ofLengthBetween(0, 8)),
        Pair.of(1, strings().betweenCodePoints(0xd700, 0xe100).ofLengthBetween(1, 4)));
  }

  /** Finite doubles of every magnitude, with the boundaries of JavaScript's number format. */
  static Gen<Double> numbers() {
    Gen<Double> anyBits =
        longs().all().map(Double::longBitsToDouble).map(x -> Double.isFinite(x) ? x : 0.5);
    Gen<Double> subnormal = longs().between(1, (1L << 52) - 1).map(Double::longBitsToDouble);
    Gen<Double> powerOfTen =
        integers().between(-325, 308).zip(integers().between(-2, 2), HamGen::nearPowerOfTen);
    Gen<Double> integral = longs().between(-(1L << 62), 1L << 62).map(n -> (double) n);
    Gen<Double> small = integers().between(-1000, 1000).map(n -> n / 8.0);
    Gen<Double> decimals = longs().between(-(1L << 53), 1L << 53)
        .zip(integers().between(1, 22), (m, j) -> m / Math.pow(10, j));
    Gen<Double> gunStates = longs().between(1_000_000_000_000L, 9_000_000_000_000L)
        .zip(integers().between(0, 998), (t, n) -> t + n / 999.0);
    Gen<Double> dyadic = integers().between(-(1 << 20), 1 << 20)
        .zip(integers().between(-70, 40), (m, k) -> Math.scalb((double) m, k));
    return Generate.frequency(
        Pair.of(3, anyBits),
        Pair.of(2, decimals),
        Pair.of(1, dyadic),
        Pair.of(2, gunStates),
        Pair.of(2, Generate.pick(boundaryNumbers())),
        Pair.of(1, subnormal),
        Pair.of(2, powerOfTen),
        Pair.of(1, integral),
        Pair.of(1, small));
  }

  /** Numbers where JavaScript's formatting switches rule or precision. */
  static List<Double> boundaryNumbers() {
    double twoTo53 = 9007199254740992.0;
    return List.of(0.0, -0.0, 5e-324, -5e-324, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
        Double.MAX_VALUE, -Double.MAX_VALUE, 1e21, Math.nextDown(1e21), Math.nextUp(1e21), -1e21,
        1e-7, Math.nextDown(1e-7), Math.nextUp(1e-7), 1e-6, twoTo53 - 1, twoTo53, twoTo53 + 2,
        Math.nextUp(twoTo53 * 2), 0.1 + 0.2, 1795287994030.001, 123e-20, 1.5, -1.5, 9.5, 10.0);
  }

  private static double nearPowerOfTen(int exponent, int ulps) {
    double x = Double.parseDouble("1e" + exponent);
    for (int i = 0; i < Math.abs(ulps); i++) {
      x = ulps < 0 ? Math.nextDown(x) : Math.nextUp(x);
    }
    return x;
  }

  /** Values of every kind: strings, numbers, booleans, null (tombstones) and links. */
  static Gen<Value> values() {
    return Generate.frequency(
        Pair.of(5, texts().map(Value::of)),
        Pair.of(4, numbers().map(Value::of)),
        Pair.of(1, Generate.booleans().map(Value::of)),
        Pair.of(1, Generate.constant(Value.NULL)),
        Pair.of(2, Generate.pick(SMALL_SOULS).mix(texts()).map(Value::link)));
  }

  /** Values drawn mostly from a small pool, so that equal values at equal states are common. */
  static Gen<Value> tieProneValues() {
    List<Value> pool = List.of(Value.of("a"), Value.of("b"), Value.of(9), Value.of(10),
        Value.TRUE, Value.NULL, Value.link("s1"));
    return Generate.frequency(Pair.of(3, Generate.pick(pool)), Pair.of(2, values()));
  }

  /** States, mostly from {@link #SMALL_STATES} so that exact ties are frequent. */
  static Gen<Double> states() {
    return Generate.frequency(
        Pair.of(4, Generate.pick(SMALL_STATES)),
        Pair.of(1, numbers()));
  }

  /** Field states with frequent exact ties of state, of value, or of both. */
  static Gen<FieldState> fieldStates() {
    return tieProneValues().zip(states(), FieldState::new);
  }

  /** Versions of the node with soul {@code soul}: up to five fields named from a small pool. */
  static Gen<Node> nodes(String soul) {
    Gen<String> names = Generate.pick(List.of("x", "y", "z", "w", "\u00e9"));
    return lists().of(names.zip(fieldStates(), Pair::of)).ofSizeBetween(0, 5)
        .map(pairs -> {
          Map<String, FieldState> fields = new LinkedHashMap<>();
          pairs.forEach(p -> fields.put(p._1, p._2));
          return new Node(soul, fields);
        });
  }

  /** Graphs over a small pool of souls, so that versions of one node meet. */
  static Gen<Graph> graphs() {
    Gen<Node> node = Generate.pick(SMALL_SOULS).flatMap(HamGen::nodes);
    return lists().of(node).ofSizeBetween(0, 4).map(list -> Graph.of(list.toArray(Node[]::new)));
  }

  private static String join(List<Character> chars) {
    StringBuilder out = new StringBuilder(chars.size());
    chars.forEach(out::append);
    return out.toString();
  }
}
