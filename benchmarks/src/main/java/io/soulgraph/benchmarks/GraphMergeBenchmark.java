package io.soulgraph.benchmarks;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Resolution;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Merging two versions of a 10,000-soul graph (5 fields per node, 50,000 field decisions):
 * {@link Graph#join} and {@link Resolution#of}. Reported as time per whole-graph merge.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GraphMergeBenchmark {

  static final int SOULS = 10_000;
  static final int FIELDS_PER_NODE = 5;

  private Graph current;
  private Graph incoming;

  @Setup
  public void generate() {
    Graph[] pair = Fixtures.graphPair(SOULS, FIELDS_PER_NODE, new SplittableRandom(11),
        HamResolveBenchmark.NOW);
    current = pair[0];
    incoming = pair[1];
  }

  @Benchmark
  public Graph join() {
    return current.join(incoming);
  }

  @Benchmark
  public Resolution resolution() {
    return Resolution.of(incoming, current::field, HamResolveBenchmark.NOW, 0);
  }
}
