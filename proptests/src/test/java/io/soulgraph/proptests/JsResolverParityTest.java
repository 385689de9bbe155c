package io.soulgraph.proptests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Ham;
import io.soulgraph.ham.HamDecision;
import io.soulgraph.ham.JsJson;
import io.soulgraph.ham.StateClock;
import io.soulgraph.ham.Value;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The JavaScript resolver in js-client ({@code js-client/src/ham.js}) decides every generated case
 * exactly as {@link Ham#resolve}, writes the same JSON texts as {@link JsJson}, and stamps the same
 * states as {@link StateClock}. Each property runs one {@code node} process
 * ({@code js-client/test/ham-oracle.mjs}) for all of its examples. A failure names its seed;
 * replay it with {@code -Dproptests.seed=N}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JsResolverParityTest {

  private static final List<Character> TRAP_CHARS =
      List.of('\u0000', '\u0001', '\u001f', '\b', '\f', '\n', '\r', '\t', '"', '\\', '/', '\u007f',
          '\u0080', '\u00e9', '\u2028', '\u2029', '\ufeff', '\uffff', '\ud800', '\udbff', '\udc00',
          '\udfff', '\ud83d', '\ude00', 'a', 'z', '0', ' ', '{', '#');
  private static final List<Double> NUMBERS =
      List.of(0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, 1e21, 1e-7, 1e-6, 1.5e-7, 9.999999999999999e20,
          1e20, 0.1, 0.30000000000000004, 3.5, (double) (1L << 60), (double) (1L << 53),
          (double) ((1L << 53) + 2), Double.MAX_VALUE, Double.MIN_NORMAL, 123456789.125,
          1795287994030.001, 9.0, 10.0);
  private static final List<Double> STATES =
      List.of(0.0, -0.0, 1.0, 1 + 1.0 / 999, 1795287994030.0, 1795287994030.0 + 1.0 / 999,
          1795287994030.0 + 2.0 / 999, 1795287994031.0, -5.0);

  private record Case(FieldState incoming, FieldState current, double now, double drift) {}

  private record ClockOp(long millis, Double stampAfter) {}

  @Test
  void resolve_generatedCases_jsDecidesAndWritesTextsAsJava() {
    try (NodeOracle oracle = NodeOracle.start()) {
      theory().forAll(cases()).checkAssert(c -> assertSameDecision(oracle, c));
    }
  }

  @Test
  void stateClock_generatedTickSequences_jsStampsAsJava() {
    try (NodeOracle oracle = NodeOracle.start()) {
      theory().forAll(lists().of(clockOps()).ofSizeBetween(1, 12))
          .checkAssert(ops -> assertSameStates(oracle, ops));
    }
  }

  private static void assertSameDecision(NodeOracle oracle, Case c) {
    String line = "{\"kind\":\"ham\",\"in\":" + c.incoming.value().json()
        + ",\"is\":" + JsJson.number(c.incoming.state())
        + ",\"hasCur\":" + (c.current != null)
        + ",\"cur\":" + (c.current == null ? "null" : c.current.value().json())
        + ",\"cs\":" + (c.current == null ? "0" : JsJson.number(c.current.state()))
        + ",\"now\":" + JsJson.number(c.now) + ",\"drift\":" + JsJson.number(c.drift) + "}";
    String[] js = oracle.ask(line).split(" ");
    HamDecision java = Ham.resolve(c.incoming, c.current, c.now, c.drift);
    String expectedUntil = java instanceof HamDecision.Defer d ? JsJson.number(d.until()) : "-";
    assertEquals(java.outcome().name().toLowerCase(), js[0], () -> "decision for " + line);
    assertEquals(expectedUntil, js[1], () -> "defer-until for " + line);
    assertEquals(c.incoming.value().json(), fromHex(js[2]), () -> "incoming JSON for " + line);
    if (c.current != null) {
      assertEquals(c.current.value().json(), fromHex(js[3]), () -> "current JSON for " + line);
    }
  }

  private static void assertSameStates(NodeOracle oracle, List<ClockOp> ops) {
    long[] ticks = new long[1];
    StateClock clock = new StateClock(() -> ticks[0]);
    List<String> expected = new ArrayList<>();
    StringBuilder line = new StringBuilder("{\"kind\":\"clock\",\"ops\":[");
    for (ClockOp op : ops) {
      ticks[0] = op.millis;
      double state = op.stampAfter == null ? clock.next() : clock.stampAfter(op.stampAfter);
      expected.add(JsJson.number(state));
      line.append(line.charAt(line.length() - 1) == '[' ? "" : ",")
          .append("{\"t\":").append(op.millis).append(",\"stampAfter\":")
          .append(op.stampAfter == null ? "null" : JsJson.number(op.stampAfter)).append('}');
    }
    String request = line.append("]}").toString();
    assertEquals(String.join(" ", expected), oracle.ask(request), () -> "states for " + request);
  }

  private static QuickTheory theory() {
    int examples = Integer.getInteger("proptests.examples", 200);
    QuickTheory theory = qt().withExamples(examples);
    String seed = System.getProperty("proptests.seed");
    return seed == null || seed.isBlank() ? theory : theory.withFixedSeed(Long.parseLong(seed));
  }

  private static Gen<Case> cases() {
    Gen<FieldState> fields = values().zip(states(), FieldState::new);
    Gen<FieldState> currents = Generate.frequency(
        Pair.of(1, Generate.<FieldState>constant(() -> null)), Pair.of(6, fields));
    Gen<Double> drifts = Generate.frequency(
        Pair.of(4, Generate.constant(0.0)), Pair.of(1, Generate.pick(List.of(1.0, 1.0 / 999))));
    Gen<Double> nows = Generate.frequency(
        Pair.of(3, Generate.pick(STATES)),
        Pair.of(1, longs().between(-10, 1795287994040L).map(n -> (double) n)));
    return fields.zip(currents, nows, drifts, Case::new);
  }

  private static Gen<Double> states() {
    return Generate.frequency(
        Pair.of(5, Generate.pick(STATES)),
        Pair.of(1, longs().between(0, 1795287994040L).zip(integers().between(0, 998),
            (ms, n) -> ms + n / 999.0)),
        Pair.of(1, numbers()));
  }

  private static Gen<Value> values() {
    return Generate.frequency(
        Pair.of(4, texts().map(Value::of)),
        Pair.of(3, numbers().map(Value::of)),
        Pair.of(1, booleans().all().map(Value::of)),
        Pair.of(1, Generate.constant(Value.NULL)),
        Pair.of(2, texts().map(Value::link)));
  }

  /** Strings with control characters, non-ASCII, surrogate pairs and lone surrogates. */
  private static Gen<String> texts() {
    Gen<String> traps = lists().of(Generate.pick(TRAP_CHARS)).ofSizeBetween(0, 6)
        .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
    return Generate.frequency(
        Pair.of(2, Generate.pick(List.of("", "a", "b", "ab", "\u00e9", "9", "10"))),
        Pair.of(4, traps),
        Pair.of(2, strings().allPossible().ofLengthBetween(0, 5)),
        Pair.of(1, strings().betweenCodePoints(0xd700, 0xe100).ofLengthBetween(1, 4)));
  }

  /** Finite doubles of every magnitude, with the boundaries of JavaScript's number format. */
  private static Gen<Double> numbers() {
    Gen<Double> anyBits = longs().all().map(Double::longBitsToDouble)
        .map(x -> Double.isFinite(x) ? x : 0.5);
    Gen<Double> nearPowersOfTen = integers().between(-325, 308).zip(integers().between(-3, 3),
        (e, k) -> Double.parseDouble("1e" + e) * (1 + k * Math.ulp(1.0)));
    return Generate.frequency(
        Pair.of(3, Generate.pick(NUMBERS)),
        Pair.of(2, anyBits),
        Pair.of(2, nearPowersOfTen),
        Pair.of(1, longs().between(-(1L << 62), 1L << 62).map(n -> (double) n)),
        Pair.of(1, longs().between(1, (1L << 52) - 1).map(Double::longBitsToDouble)));
  }

  private static Gen<ClockOp> clockOps() {
    Gen<Long> millis = longs().between(1795287994028L, 1795287994032L);
    Gen<Double> seen = Generate.frequency(
        Pair.of(2, Generate.<Double>constant(() -> null)),
        Pair.of(2, Generate.pick(STATES)),
        Pair.of(1, longs().between(1795287994020L, 1795287994040L).zip(
            integers().between(0, 998), (ms, n) -> ms + n / 999.0)),
        Pair.of(1, numbers()));
    return millis.zip(seen, ClockOp::new);
  }

  private static String fromHex(String hex) {
    StringBuilder out = new StringBuilder(hex.length() / 4);
    for (int i = 0; i + 4 <= hex.length(); i += 4) {
      out.append((char) Integer.parseInt(hex.substring(i, i + 4), 16));
    }
    return out.toString();
  }

  /** One {@code node} process running the oracle script: a line in, a line out. */
  private static final class NodeOracle implements AutoCloseable {
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    private NodeOracle(Process process) {
      this.process = process;
      this.in = new BufferedWriter(
          new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      this.out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static NodeOracle start() {
      Path script = Path.of(System.getProperty("user.dir"))
          .resolve("../js-client/test/ham-oracle.mjs").normalize();
      if (!Files.isRegularFile(script)) {
        throw new IllegalStateException(
            "Expected the JS oracle at " + script + " but it is missing");
      }
      try {
        return new NodeOracle(new ProcessBuilder("node", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start());
      } catch (IOException e) {
        throw new UncheckedIOException("Expected `node` on the PATH to run " + script, e);
      }
    }

    String ask(String line) {
      try {
        in.write(line);
        in.write('\n');
        in.flush();
        String answer = out.readLine();
        if (answer == null) {
          throw new IllegalStateException("Expected an answer from the JS oracle but it exited");
        }
        return answer;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
