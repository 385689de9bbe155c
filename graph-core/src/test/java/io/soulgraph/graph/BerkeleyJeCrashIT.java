package io.soulgraph.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Value;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 under load loses no acknowledged put: a child JVM writes to a berkeleyje store and logs
 * each acknowledged diff; it is killed at a different point each round; the reopened store must
 * hold every logged diff. Rounds share the data directory, so recovery after recovery is tested.
 */
@Timeout(300)
class BerkeleyJeCrashIT {

  static final int[] KILL_AFTER_ACKS = {1, 150, 700, 2500};

  @TempDir Path tmp;

  @Test
  void killDashNine_midStream_everyAcknowledgedDiffSurvives() throws Exception {
    Path dataDir = tmp.resolve("data");
    for (int round = 0; round < KILL_AFTER_ACKS.length; round++) {
      Path acks = tmp.resolve("acks-" + round);
      Files.createFile(acks);
      runAndKill(dataDir, acks, "r" + round, KILL_AFTER_ACKS[round]);
      List<Long> acked = Files.readAllLines(acks).stream()
          .filter(l -> !l.isBlank()).map(Long::parseLong).toList();
      assertTrue(acked.size() >= KILL_AFTER_ACKS[round], "acks " + acked.size());
      try (SoulStore store = SoulStores.open(StoreConfig.berkeleyJe(dataDir))) {
        for (int r = 0; r <= round; r++) {
          assertAllPresent(store, "r" + r, r == round ? acked : null);
        }
        long max = acked.stream().mapToLong(Long::longValue).max().orElseThrow();
        FieldState last = store.field("last-r" + round, "last").orElseThrow();
        assertTrue(last.state() >= CrashWriter.BASE_STATE + max, "last " + last);
      }
    }
  }

  private final List<List<Long>> previousRounds = new ArrayList<>();

  private void assertAllPresent(SoulStore store, String round, List<Long> acked) {
    int index = Integer.parseInt(round.substring(1));
    if (acked != null) {
      previousRounds.add(acked);
    }
    for (long i : previousRounds.get(index)) {
      Value expected = Value.of(i);
      assertEquals(expected, store.field("s" + (i % 64), round + "-" + i)
          .map(FieldState::value).orElse(null), "acknowledged diff " + round + "-" + i);
    }
  }

  private static void runAndKill(Path dataDir, Path acks, String round, int killAfter)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), CrashWriter.class.getName(),
        dataDir.toString(), acks.toString(), round);
    builder.redirectErrorStream(true);
    Process child = builder.start();
    try {
      Thread reader = drain(child);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (countLines(acks) < killAfter) {
        assertTrue(child.isAlive(), "the writer died before being killed");
        assertTrue(System.nanoTime() < deadline, "the writer acknowledged too few puts in 90 s");
        Thread.sleep(5);
      }
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      reader.join(5000);
    } finally {
      child.destroyForcibly();
    }
  }

  private static Thread drain(Process child) {
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        out.lines().forEach(line -> System.out.println("[crash-writer] " + line));
      } catch (java.io.IOException e) {
        // the child was killed: its output ends here
      }
    });
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private static long countLines(Path file) throws java.io.IOException {
    try (var lines = Files.lines(file)) {
      return lines.count();
    }
  }
}
