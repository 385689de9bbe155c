package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Node harness in {@code src/test/js} (real {@code gun} 0.2020.1241 clients and GunDB's
 * own relay, installed by {@code npm ci} in Maven's pre-integration-test phase). Every process is
 * bounded by a timeout and destroyed when done.
 */
final class NodeScripts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeScripts() {}

  static Path dir() {
    Assumptions.assumeFalse(
        Boolean.getBoolean("relay.skipNode"), "Node harness skipped (-Dskip.npm=true)");
    String dir = System.getProperty("relay.jsHarness", "src/test/js");
    return Path.of(dir).toAbsolutePath();
  }

  /** A running Node process whose JSON stdout lines are collected. */
  static final class Running implements AutoCloseable {
    private final Process process;
    private final List<JsonNode> lines = new ArrayList<>();
    private final StringBuilder output = new StringBuilder();

    Running(Process process) {
      this.process = process;
      Thread reader = new Thread(this::read, "node-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (lines) {
            output.append(line).append('\n');
            if (line.startsWith("{")) {
              lines.add(JSON.readTree(line));
            }
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        synchronized (lines) {
          output.append("[stdout closed: ").append(e).append("]\n");
        }
      }
    }

    /** Waits for the n-th JSON line (1-based). */
    JsonNode line(int n, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (lines) {
        while (lines.size() < n) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            fail("Node printed " + lines.size() + " JSON lines, expected " + n + ":\n" + output);
          }
          TimeUnit.NANOSECONDS.timedWait(lines, left);
        }
        return lines.get(n - 1);
      }
    }

    /** The JSON lines printed so far. */
    List<JsonNode> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    /** Waits for the process to exit; returns its last JSON line. */
    JsonNode result(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("Node did not finish within " + timeout + ":\n" + output);
      }
      Thread.sleep(50);
      synchronized (lines) {
        if (lines.isEmpty()) {
          fail("Node printed no result (exit " + process.exitValue() + "):\n" + output);
        }
        return lines.get(lines.size() - 1);
      }
    }

    long pid() {
      return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Starts {@code node <script> args...} in the harness directory. */
  static Running start(String script, String... args) throws IOException {
    return startIn(dir(), script, args);
  }

  /** Starts {@code node <script> args...} in {@code directory}. */
  static Running startIn(Path directory, String script, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().put("GUN_CLIENT_TIMEOUT_MS", "20000");
    return new Running(builder.start());
  }

  /**
   * Runs {@code gun-client.js <command> <url> <args...>} to completion; returns its result line.
   */
  static JsonNode gun(String url, String command, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command, url));
    all.addAll(List.of(args));
    try (Running running = start("gun-client.js", all.toArray(String[]::new))) {
      return running.result(Duration.ofSeconds(30));
    }
  }

  /** The HTTP URL gun clients are configured with for a relay's WebSocket URL. */
  static String httpUrl(java.net.URI gunUrl) {
    return gunUrl.toString().replaceFirst("^ws", "http");
  }
}
