package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay jar in its own JVM, started as bin/soulgraph starts it, with the given options; its
 * output is collected and its port read from the start-up line.
 */
final class RelayJarProcess implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/gun");

  private final Process process;
  private final StringBuilder output = new StringBuilder();
  private int port;

  RelayJarProcess(List<String> options, Duration startTimeout) throws Exception {
    this("-Xmx512m", options, startTimeout);
  }

  RelayJarProcess(String heap, List<String> options, Duration startTimeout) throws Exception {
    this(heap, false, options, startTimeout);
  }

  /** With {@code libp2p}, the relay runs its libp2p host (on a free port unless options say). */
  RelayJarProcess(String heap, boolean libp2p, List<String> options, Duration startTimeout)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-XX:+ExitOnOutOfMemoryError", heap,
        "-jar",
        System.getProperty("relay.jar", "target/soulgraph-relay.jar"),
        "--port", "0", "--no-gremlin"));
    command.addAll(libp2p ? List.of("--libp2p-port", "0") : List.of("--no-libp2p"));
    command.addAll(options);
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader = new Thread(this::read, "relay-jar-stdout");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + startTimeout.toNanos();
    synchronized (output) {
      while (port == 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.isAlive()) {
          close();
          fail("Relay did not start:\n" + output);
        }
        TimeUnit.NANOSECONDS.timedWait(output, Math.min(left, 200_000_000L));
      }
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
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

  /** The relay's HTTP base URL ({@code /info}, {@code /metrics}). */
  URI httpUrl() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The relay JVM's process id (for {@code jcmd}). */
  long pid() {
    return process.pid();
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

  /** SIGKILL: no shutdown hook runs, nothing pending is committed. */
  void killDashNine() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "relay JVM still alive after SIGKILL");
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
