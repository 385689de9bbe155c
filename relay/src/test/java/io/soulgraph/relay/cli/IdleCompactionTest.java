package io.soulgraph.relay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
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
  void due_onlyAfterBusyCollections_thenAMinuteOfRest() {
    AtomicLong now = new AtomicLong();
    IdleCompaction compaction = new IdleCompaction(60 * SECOND, 3, now::get);
    now.addAndGet(600 * SECOND);
    assertFalse(compaction.due(), "idle since start, nothing to compact");

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
    IdleCompaction compaction = new IdleCompaction(60 * SECOND, 3, now::get);
    for (int i = 0; i < 10; i++) {
      compaction.collected("System.gc()");
    }
    now.addAndGet(120 * SECOND);
    assertFalse(compaction.due());
  }

  /** Fills the heap with objects that live long enough to grow old, drops them, rests. */
  public static final class Burst {
    public static void main(String[] args) throws Exception {
      IdleCompaction.start(TimeUnit.SECONDS.toNanos(2), 3);
      List<byte[]> held = new ArrayList<>();
      for (int round = 0; round < 40; round++) {
        for (int i = 0; i < 100; i++) {
          held.add(new byte[32 * 1024]); // 3 MB a round, kept for ten rounds: old garbage
        }
        if (held.size() > 1_000) {
          held.subList(0, 100).clear();
        }
        for (int i = 0; i < 300; i++) {
          byte[] young = new byte[16 * 1024]; // and young garbage, for the collections
          young[0] = 1;
        }
      }
      held.clear();
      System.out.println("busy=" + committedMb());
      Thread.sleep(8_000);
      System.out.println("rest=" + committedMb());
    }

    private static long committedMb() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20;
    }
  }

  @Test
  void start_aBusyJvmGoneQuiet_givesItsHeapBack() throws Exception {
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseG1GC", "-Xms16m", "-Xmx256m", "-XX:MaxHeapFreeRatio=30",
        "-XX:MinHeapFreeRatio=10", "-cp", System.getProperty("java.class.path"),
        Burst.class.getName());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM did not exit in 60 s");
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), out);
      long busy = value(out, "busy=");
      long rest = value(out, "rest=");
      assertTrue(busy >= 32, "the burst grew the heap: " + out);
      assertTrue(rest * 2 <= busy, "at rest the heap shrank by half or more: " + out);
      assertTrue(out.contains("compacted the heap"), out);
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
