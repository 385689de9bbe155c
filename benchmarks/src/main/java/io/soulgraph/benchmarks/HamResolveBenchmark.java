package io.soulgraph.benchmarks;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Ham;
import io.soulgraph.ham.Value;
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

/**
 * Field decisions per second: {@link Ham#resolve} over 1024 pre-generated (incoming, current)
 * pairs with mixed outcomes (newer, older, duplicates, equal-state ties broken by JSON text,
 * future states, unknown fields), so neither the branch predictor nor one path dominates.
 * One operation is one decision.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HamResolveBenchmark {

  static final int PAIRS = 1024;
  static final double NOW = 1_795_287_994_030.0;

  private final FieldState[] incoming = new FieldState[PAIRS];
  private final FieldState[] current = new FieldState[PAIRS];

  @Setup
  public void generate() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < PAIRS; i++) {
      double state = NOW - random.nextInt(1_000_000);
      FieldState cur = new FieldState(Fixtures.value(random), state);
      current[i] = cur;
      incoming[i] = switch (random.nextInt(10)) {
        case 0, 1, 2 -> new FieldState(Fixtures.value(random), state + 1 + random.nextInt(999));
        case 3, 4 -> new FieldState(Fixtures.value(random), state - 1 - random.nextInt(999));
        case 5 -> new FieldState(Fixtures.copyOf(cur.value()), state); // a duplicate: EQUAL
        case 6, 7 -> new FieldState(Fixtures.value(random), state); // a tie: JSON texts decide
        case 8 -> new FieldState(Fixtures.value(random), NOW + 1 + random.nextInt(60_000));
        default -> {
          current[i] = null;
          yield new FieldState(Fixtures.value(random), state);
        }
      };
    }
  }

  /** Returns a checksum of the outcomes, so the decisions cannot be optimised away. */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public int resolve() {
    int sum = 0;
    for (int i = 0; i < PAIRS; i++) {
      sum += Ham.resolve(incoming[i], current[i], NOW).outcome().ordinal();
    }
    return sum;
  }

}
