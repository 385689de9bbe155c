package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.ham.JsJson;
import io.soulgraph.relay.gun.GunFrames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as users run it: the shaded jar in its own JVM, berkeleyje in a temp dir, the real port
 * read from its start-up line. SIGTERM drains cleanly; kill -9 under load loses no acked put.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class RelayProcessIT {

  private static final Pattern LISTENING =
      Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/gun");

  /** A relay JVM; its output is collected, its port read from the start-up line. */
  private static final class RelayProcess implements AutoCloseable {
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private int port;

    RelayProcess(Path dataDir) throws Exception {
      this(dataDir, "-Xmx512m");
    }

    /** A relay started as bin/soulgraph starts it, with {@code heap} and extra options. */
    RelayProcess(Path dataDir, String heap, String... options) throws Exception {
      String jar = System.getProperty("relay.jar", "target/soulgraph-relay.jar");
      List<String> command = new ArrayList<>(List.of(
          "java",
          "-XX:+ExitOnOutOfMemoryError",
          heap,
          "-jar",
          jar,
          "--port",
          "0",
          "--storage",
          "berkeleyje",
          "--data-dir",
          dataDir.toString(),
          "--no-gremlin", // fixed ports: this test binds free ones only
          "--no-libp2p"));
      command.addAll(List.of(options));
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Thread reader = new Thread(this::read, "relay-stdout");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      synchronized (output) {
        while (port == 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !process.isAlive()) {
            fail("Relay did not start:\n" + output);
          }
          TimeUnit.NANOSECONDS.timedWait(output, Math.min(left, 200_000_000L));
        }
      }
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (output) {
            output.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              port = Integer.parseInt(m.group(1));
            }
            output.notifyAll();
          }
        }
      } catch (java.io.IOException e) {
        synchronized (output) {
          output.append("[output closed: ").append(e).append("]\n");
        }
      }
    }

    URI gunUrl() {
      return URI.create("ws://127.0.0.1:" + port + "/gun");
    }

    String output() {
      synchronized (output) {
        return output.toString();
      }
    }

    /** SIGTERM, then wait for the JVM to exit. */
    void terminate() throws Exception {
      // Process.destroy() would close our end of its output and lose the shutdown lines.
      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM:\n" + output());
    }

    /** Waits for the JVM to exit by itself; returns its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
      assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
          "still running after " + timeout + ":\n" + output());
      return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static String put(String id, String soul, long state, String value) {
    return GunFrames.put(id, soul, state, "v", JsJson.quote(value));
  }

  @Test
  void sigterm_drainsCleanly_andDataSurvivesRestart(@TempDir Path dataDir) throws Exception {
    long s = System.currentTimeMillis() - 1000;
    try (RelayProcess relay = new RelayProcess(dataDir)) {
      try (WireClient client = new WireClient(relay.gunUrl())) {
        client.send(put("term1", "proc/term", s, "kept"));
        assertEquals(1, client.replyTo("term1").path("ok").asInt());
      }
      relay.terminate();
      assertTrue(relay.output().contains("Soulgraph relay stopped"), relay.output());
    }
    try (RelayProcess again = new RelayProcess(dataDir);
        WireClient client = new WireClient(again.gunUrl())) {
      assertEquals("kept", GunWireIT.readField(client, "proc/term", "v").asText());
    }
  }

  /**
   * A relay whose limits were raised past what its heap can hold runs out of memory on the wide
   * node of issue 17: it must exit (status 3, for a supervisor to restart it) rather than live on
   * failing every put while /health says ok, and every put acked before is there after restart.
   */
  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS) // the heap fills slowly on a loaded machine
  void outOfMemory_exitsWithStatus3_andEveryAckedPutSurvivesRestart(@TempDir Path dataDir)
      throws Exception {
    long s = System.currentTimeMillis() - 1000;
    try (RelayProcess relay = new RelayProcess(dataDir, "-Xmx128m", "--max-put-bytes", "8000000",
            "--max-put-fields", "100000");
        WireClient writer = new WireClient(relay.gunUrl())) {
      for (int i = 0; i < 20; i++) {
        writer.send(put("oom" + i, "proc/oom/" + i, s, "v" + i));
        assertEquals(1, writer.replyTo("oom" + i).path("ok").asInt());
      }
      writer.send(MemoryAttackIT.widePut("wide", "proc/wide", 30_000, 28, s));
      assertEquals(3, relay.awaitExit(Duration.ofSeconds(420)));
    }
    try (RelayProcess again = new RelayProcess(dataDir);
        WireClient reader = new WireClient(again.gunUrl())) {
      for (int i = 0; i < 20; i++) {
        assertEquals("v" + i, GunWireIT.readField(reader, "proc/oom/" + i, "v").asText());
      }
    }
  }

  @Test
  void killMinus9_underLoad_everyAckedPutIsReadableAfterRestart(@TempDir Path dataDir)
      throws Exception {
    long s = System.currentTimeMillis() - 1000;
    List<String> acked = new ArrayList<>();
    try (RelayProcess relay = new RelayProcess(dataDir);
        WireClient writer = new WireClient(relay.gunUrl())) {
      int batch = 50;
      for (int round = 0; round < 4; round++) {
        for (int i = round * batch; i < (round + 1) * batch; i++) {
          writer.send(put("crash" + i, "proc/crash/" + i, s, "v" + i));
        }
        writer.replyTo("crash" + ((round + 1) * batch - 1));
      }
      for (int i = 4 * batch; i < 20 * batch; i++) {
        writer.send(put("crash" + i, "proc/crash/" + i, s, "v" + i));
      }
      relay.kill();
      for (JsonNode ack : writer.allAfter(m -> m.path("ok").asInt() == 1, Duration.ofMillis(200))) {
        acked.add(ack.path("@").asText());
      }
    }
    assertTrue(acked.size() > 0, "some puts were acked before the kill");
    try (RelayProcess again = new RelayProcess(dataDir);
        WireClient reader = new WireClient(again.gunUrl())) {
      for (String id : acked) {
        int i = Integer.parseInt(id.substring("crash".length()));
        assertEquals("v" + i, GunWireIT.readField(reader, "proc/crash/" + i, "v").asText(), id);
      }
    }
  }
}
