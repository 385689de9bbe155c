package io.soulgraph.benchmarks;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Resolution;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Node merges per second, with 10 and 100 fields: the join of two versions ({@link Node#join}) and
 * HAM over a one-node diff against the current node ({@link Resolution#of}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NodeMergeBenchmark {

  @Param({"10", "100"})
  public int fields;

  private Node current;
  private Node incoming;
  private Graph diff;

  @Setup
  public void generate() {
    Node[] pair = Fixtures.nodePair("soul", fields, new SplittableRandom(7),
        HamResolveBenchmark.NOW);
    current = pair[0];
    incoming = pair[1];
    diff = Graph.of(incoming);
  }

  @Benchmark
  public Node join() {
    return current.join(incoming);
  }

  @Benchmark
  public Resolution resolution() {
    return Resolution.of(diff, (soul, field) -> current.field(field), HamResolveBenchmark.NOW, 0);
  }
}
