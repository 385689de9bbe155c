package io.soulgraph.relay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A busy relay gone quiet compacts its heap once; a relay that stays busy or idle never does. */
final class IdleCompactionTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void due_onceAfterStart_thenOnlyAfterBusyCollections_andAMinuteOfRest() {
    AtomicLong now = new AtomicLong();
    IdleCompaction compaction = new IdleCompaction(60 * SECOND, 3, now::get, false);
    now.addAndGet(59 * SECOND);
    assertFalse(compaction.due(), "started a moment ago");
    now.addAndGet(SECOND);
    assertTrue(compaction.due(), "a relay that started and stayed idle compacts once");
    compaction.compacting();
    now.addAndGet(600 * SECOND);
    assertFalse(compaction.due(), "idle since, nothing to compact");

    for (int i = 0; i < 3; i++) {
      compaction.collected("G1 Evacuation Pause");
    }
    now.addAndGet(59 * SECOND);
    assertFalse(compaction.due(), "busy a moment ago");
    compaction.collected("G1 Periodic Collection"); // G1's idle cycle is rest, not work
    now.addAndGet(SECOND);
    assertTrue(compaction.due());

    compaction.collected("G1 Evacuation Pause");
    assertFalse(compaction.due(), "work again: the minute starts over");
  }

  @Test
  void due_notForCollectionsOfItsOwn() {
    AtomicLong now = new AtomicLong();
    IdleCompaction compaction = new IdleCompaction(60 * SECOND, 3, now::get, false);
    compaction.compacting();
    for (int i = 0; i < 10; i++) {
      compaction.collected("System.gc()");
    }
    now.addAndGet(120 * SECOND);
    assertFalse(compaction.due());
  }

  /**
   * Fills the heap with objects that live long enough to grow old, drops all but a 48 MB live set,
   * rests; {@code tighten} as {@link HeapAtRest} would start the compaction.
   */
  public static final class Burst {
    public static void main(String[] args) throws Exception {
      IdleCompaction.start(TimeUnit.SECONDS.toNanos(2), 3, Boolean.parseBoolean(args[0]));
      List<byte[]> held = new ArrayList<>();
      for (int round = 0; round < 40; round++) {
        for (int i = 0; i < 100; i++) {
          held.add(new byte[32 * 1024]); // 3 MB a round, kept for twenty rounds: old garbage
        }
        if (held.size() > 2_000) {
          held.subList(0, 100).clear();
        }
        for (int i = 0; i < 300; i++) {
          byte[] young = new byte[16 * 1024]; // and young garbage, for the collections
          young[0] = 1;
        }
      }
      held.subList(0, held.size() - 48 * 32).clear(); // 48 MB stay live, as a relay's data would
      System.out.println("busy=" + (heap().getCommitted() >> 20));
      Thread.sleep(8_000);
      System.out.println("rest=" + (heap().getCommitted() >> 20));
      System.out.println("restUsed=" + (heap().getUsed() >> 20));
      System.out.println("kept " + held.size()); // uses held: its 48 MB stay live until here
    }

    private static MemoryUsage heap() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }
  }

  @Test
  void start_aBusyJvmGoneQuiet_givesItsHeapBack_keepingLittleFree() throws Exception {
    // the ratios HeapAtRest sets, given here on the command line as the child has no HeapAtRest
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseG1GC", "-Xms8m", "-Xmx256m",
        "-XX:MaxHeapFreeRatio=" + HeapAtRest.MAX_FREE_PERCENT,
        "-XX:MinHeapFreeRatio=" + HeapAtRest.MIN_FREE_PERCENT,
        "-cp", System.getProperty("java.class.path"), Burst.class.getName(), "true");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM did not exit in 60 s");
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), out);
      long busy = value(out, "busy=");
      long rest = value(out, "rest=");
      long restUsed = value(out, "restUsed=");
      assertTrue(busy >= 96, "the burst grew the heap: " + out);
      assertTrue(rest * 3 <= busy * 2, "at rest the heap shrank by a third or more: " + out);
      assertTrue(out.contains("compacted the heap"), out);
      assertTrue(out.contains("Trim native heap: RSS+Swap:"), "the C heap was trimmed too: " + out);
      // MaxHeapFreeRatio=30 leaves 86 MB committed around the 57 MB used; the compaction leaves
      // COMPACTED_FREE_PERCENT free (measured: 66-67 MB), and G1's 1 MB regions round up
      assertTrue(rest * 100 <= restUsed * 130,
          "at rest the heap kept little free room: " + rest + " MB committed, " + restUsed
              + " MB used\n" + out);
    } finally {
      process.destroyForcibly();
    }
  }

  private static long value(String out, String prefix) {
    return out.lines().filter(line -> line.startsWith(prefix))
        .mapToLong(line -> Long.parseLong(line.substring(prefix.length()).trim()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + out));
  }
}
