package io.soulgraph.graph.bench;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Wide-node writes through the store API as the relay commits a big put (pieces of 256 fields,
 * each acked before the next): N new field names on a new node, the same N names on another
 * node, then 200 one-field puts to that node. Prints wall and process CPU time per step.
 * Args: label N. Runs against any relay jar (docs/benchmarks.md, per-field entries).
 */
public final class WideNodeBenchmark {
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[1]);
    Path dir = Files.createTempDirectory("wide");
    try (SoulStore store = SoulStores.open(StoreConfig.berkeleyJe(dir))) {
      store.put(Graph.of(Node.empty("warm").with("x", Value.of(1), 1)), null).get();
      double state = System.currentTimeMillis() - 100_000;
      for (String soul : List.of("new-names", "known-names")) {
        long t0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
        for (int from = 0; from < n; from += 256) {
          Map<String, FieldState> fields = new LinkedHashMap<>();
          for (int i = from; i < Math.min(n, from + 256); i++) {
            fields.put("f" + i, new FieldState(Value.of(i), state));
          }
          store.put(Graph.of(new Node(soul, fields)), null).get();
        }
        report(args[0], soul + " " + n + " fields in pieces of 256", t0, c0);
      }
      long t0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
      for (int i = 0; i < 200; i++) {
        state += 1;
        store.put(Graph.of(Node.empty("known-names").with("f" + (i * 37 % n), Value.of(-i), state)),
            null).get();
      }
      report(args[0], "200 one-field puts to that node", t0, c0);
      if (store.node("known-names").orElseThrow().fields().size() != n) {
        throw new AssertionError("Expected " + n + " fields read back");
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(WideNodeBenchmark::delete);
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      System.err.println("Could not delete " + path + ": " + e.getMessage());
    }
  }

  static void report(String label, String what, long t0, long c0) {
    System.out.printf("%s | %s | wall %.2f s | process CPU %.2f s | load %s%n", label, what,
        (System.nanoTime() - t0) / 1e9, (OS.getProcessCpuTime() - c0) / 1e9,
        String.format("%.1f", OS.getSystemLoadAverage()));
  }
}
