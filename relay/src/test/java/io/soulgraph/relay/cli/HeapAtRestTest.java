package io.soulgraph.relay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each case starts a JVM of its own: the flags belong to the process, and who set them counts. */
final class HeapAtRestTest {

  /** Applies, then prints the three flags as {@code name=value} lines. */
  public static final class PrintFlags {
    public static void main(String[] args) {
      HeapAtRest.apply();
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      for (String flag : List.of("G1PeriodicGCInterval", "MaxHeapFreeRatio", "MinHeapFreeRatio")) {
        System.out.println(flag + "=" + vm.getVMOption(flag).getValue());
      }
    }
  }

  private static String flagsIn(String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        PrintFlags.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM did not exit in 60 s");
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), out);
      return out.lines().filter(line -> line.matches("\\w+=\\d+")).reduce("", (a, b) -> a + b + " ")
          .trim();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void apply_onG1WithDefaults_collectsAtRestAndReturnsFreeHeap() throws Exception {
    assertEquals("G1PeriodicGCInterval=30000 MaxHeapFreeRatio=30 MinHeapFreeRatio=10",
        flagsIn("-XX:+UseG1GC", "-Xmx64m"));
  }

  @Test
  void apply_keepsWhatTheCommandLineSet() throws Exception {
    assertEquals("G1PeriodicGCInterval=5000 MaxHeapFreeRatio=50 MinHeapFreeRatio=40",
        flagsIn("-XX:+UseG1GC", "-Xmx64m", "-XX:G1PeriodicGCInterval=5000",
            "-XX:MaxHeapFreeRatio=50"));
  }

  @Test
  void apply_onAnotherCollector_changesNothing() throws Exception {
    assertEquals("G1PeriodicGCInterval=0 MaxHeapFreeRatio=70 MinHeapFreeRatio=40",
        flagsIn("-XX:+UseSerialGC", "-Xmx64m"));
  }
}
