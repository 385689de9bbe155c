package io.soulgraph.graph.internal;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What a receiving store pays per commit for its context when 90,000 dots wait out of order in
 * the cloud: a copy (as {@code Batch} takes) and the {@code %context} text. Not a test; usage:
 * {@code java -cp graph-core/target/test-classes:relay/target/soulgraph-relay.jar
 * io.soulgraph.graph.internal.ContextCostBench}.
 */
public final class ContextCostBench {
  public static void main(String[] args) {
    List<Dot> dots = new ArrayList<>();
    for (long c = 2; c <= 90_001; c++) dots.add(new Dot("replica-a", c));
    Collections.shuffle(dots, new Random(1));
    CausalContext ctx = new CausalContext();
    long t0 = System.nanoTime();
    dots.forEach(ctx::add);
    long addNs = System.nanoTime() - t0;
    long bytes = 0;
    for (int round = 0; round < 2; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        CausalContext copy = ctx.copy();
        bytes = EntryCodec.writeContext(copy, 1).length();
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (round == 1) {
        System.out.printf("90,000 dots in the cloud: add all %d ms; per commit (copy + %%context text) %.1f ms, %%context %,d chars%n",
            addNs / 1_000_000, ms / 50.0, bytes);
      }
    }
  }
}
