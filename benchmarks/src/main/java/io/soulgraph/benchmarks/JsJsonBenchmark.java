package io.soulgraph.benchmarks;

import io.soulgraph.ham.JsJson;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link JsJson} throughput, one operation per number or string: integers (the fast path), GunDB
 * states {@code t + N/999}, short decimals, numbers of any magnitude (random bits), and strings
 * that are plain ASCII or full of escapes and non-ASCII.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsJsonBenchmark {

  static final int N = 256;

  private final double[] integers = new double[N];
  private final double[] states = new double[N];
  private final double[] decimals = new double[N];
  private final double[] anyMagnitude = new double[N];
  private final String[] asciiStrings = new String[N];
  private final String[] escapedStrings = new String[N];

  @Setup
  public void generate() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < N; i++) {
      integers[i] = random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
      states[i] = 1_795_287_994_030L + random.nextInt(1_000_000) + random.nextInt(1, 50) / 999.0;
      decimals[i] = random.nextInt(-1_000_000, 1_000_000) / 100.0;
      double x;
      do {
        x = Double.longBitsToDouble(random.nextLong());
      } while (!Double.isFinite(x));
      anyMagnitude[i] = x;
      asciiStrings[i] = "user-" + random.nextInt(1_000_000) + "-name";
      escapedStrings[i] = "l\u00ednea\n\"" + random.nextInt(1000) + "\"\t\u0001\ud83d\ude00\ud800";
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void numberInteger(Blackhole bh) {
    numbers(integers, bh);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void numberGunState(Blackhole bh) {
    numbers(states, bh);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void numberDecimal(Blackhole bh) {
    numbers(decimals, bh);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void numberAnyMagnitude(Blackhole bh) {
    numbers(anyMagnitude, bh);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void quoteAscii(Blackhole bh) {
    quotes(asciiStrings, bh);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void quoteEscapes(Blackhole bh) {
    quotes(escapedStrings, bh);
  }

  private static void numbers(double[] xs, Blackhole bh) {
    for (double x : xs) {
      bh.consume(JsJson.number(x));
    }
  }

  private static void quotes(String[] ss, Blackhole bh) {
    for (String s : ss) {
      bh.consume(JsJson.quote(s));
    }
  }
}
