package io.soulgraph.libp2p.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real js-libp2p node ({@code src/test/js/peer.mjs}) in a child process. Every wait has a
 * timeout; {@link #close()} always destroys the process. Its stderr is kept for failure
 * messages.
 */
public final class JsPeer implements AutoCloseable {
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private JsPeer(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    daemon("js-stdout", () -> pump(new BufferedReader(new InputStreamReader(
        process.getInputStream(), StandardCharsets.UTF_8)), true));
    daemon("js-stderr", () -> pump(new BufferedReader(new InputStreamReader(
        process.getErrorStream(), StandardCharsets.UTF_8)), false));
  }

  /**
   * The harness directory: {@code -Dlibp2p.js.dir} (set by Maven), else the source tree seen
   * from the module or from the repository root.
   */
  public static Path dir() {
    String d = System.getProperty("libp2p.js.dir");
    Path p = d != null ? Path.of(d) : Path.of("src/test/js");
    if (d == null && !Files.isDirectory(p)) {
      p = Path.of("libp2p/src/test/js");
    }
    if (!Files.isDirectory(p.resolve("node_modules"))) {
      throw new IllegalStateException("no node_modules in " + p.toAbsolutePath()
          + ": run `npm ci` there (mvn verify does it in pre-integration-test)");
    }
    return p;
  }

  /** Starts {@code node <script> args...} in the harness directory. */
  public static JsPeer start(String script, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("node", script));
    cmd.addAll(List.of(args));
    return new JsPeer(new ProcessBuilder(cmd).directory(dir().toFile()).start());
  }

  /**
   * Starts any command in the harness directory whose stdout speaks the same JSON lines (for
   * example a shell running node and a Java probe in one network namespace).
   */
  public static JsPeer startCommand(List<String> cmd, Map<String, String> env)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir().toFile());
    pb.environment().putAll(env);
    return new JsPeer(pb.start());
  }

  public void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** The next stdout event of this kind (other kinds are kept in order for later calls). */
  public Map<String, Object> await(String event, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Map<String, Object>> skipped = new ArrayList<>();
    try {
      while (true) {
        Map<String, Object> e = events.poll(200, TimeUnit.MILLISECONDS);
        if (e == null && !process.isAlive() && events.isEmpty()) {
          Thread.sleep(200); // let the reader threads finish the log
          throw new AssertionError("js exited (" + process.exitValue() + ") before '" + event
              + "'; log:\n" + String.join("\n", log));
        }
        if (e == null && System.nanoTime() < deadline) {
          continue;
        }
        if (e == null) {
          throw new AssertionError("no '" + event + "' from js within " + timeout + "; log:\n"
              + String.join("\n", log));
        }
        if (event.equals(e.get("event"))) {
          return e;
        }
        if ("error".equals(e.get("event"))) {
          throw new AssertionError("js reported: " + e.get("error"));
        }
        skipped.add(e);
      }
    } finally {
      List<Map<String, Object>> rest = new ArrayList<>();
      events.drainTo(rest);
      events.addAll(skipped);
      events.addAll(rest);
    }
  }

  public String log() {
    return String.join("\n", log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void pump(BufferedReader r, boolean json) {
    try {
      String line;
      while ((line = r.readLine()) != null) {
        log.add(line);
        if (json && line.startsWith("{")) {
          events.add(Json.object(line));
        }
      }
    } catch (IOException | RuntimeException e) {
      log.add("reader stopped: " + e);
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }
}
