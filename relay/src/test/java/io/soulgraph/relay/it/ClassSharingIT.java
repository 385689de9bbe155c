package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/soulgraph's class sharing, on a copy of the launcher and the jar (so the repository's own
 * archive is left alone): a run that starts no relay writes no archive, a relay that stops
 * cleanly writes one, and the next start adopts it and maps its classes from it.
 */
class ClassSharingIT {

  private static final Path LAUNCHER = Path.of("..", "bin", "soulgraph");
  private static final Path JAR =
      Path.of(System.getProperty("relay.jar", "target/soulgraph-relay.jar"));

  @TempDir Path root;

  @Test
  void aRelayThatStoppedCleanly_leavesAnArchive_thatTheNextStartMaps() throws Exception {
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path target = Files.createDirectories(root.resolve("relay/target"));
    Files.copy(LAUNCHER, bin.resolve("soulgraph"));
    Files.setPosixFilePermissions(
        bin.resolve("soulgraph"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.copy(JAR, target.resolve("soulgraph-relay.jar"));

    Run version = start(List.of("--version"), "-Xmx256m");
    assertTrue(version.process.waitFor(60, TimeUnit.SECONDS), "--version did not exit");
    assertEquals(0, version.process.exitValue(), version.output());
    assertEquals(List.of(), archives(target), "--version starts no relay and writes no archive");

    Run first = start(relayOptions(root.resolve("data-1")), "-Xmx512m");
    first.awaitListening();
    first.terminate();
    List<Path> written = archives(target);
    assertEquals(1, written.size(), "one archive after a clean stop: " + written + "\n"
        + first.output());
    assertEquals("soulgraph-relay.jsa." + first.process.pid(),
        written.get(0).getFileName().toString());

    Run second = start(relayOptions(root.resolve("data-2")), "-Xmx512m -Xlog:class+load=info");
    second.awaitListening();
    second.terminate();
    assertEquals(List.of(target.resolve("soulgraph-relay.jsa")), archives(target),
        "the next start adopts the archive under the launcher's name");
    assertTrue(
        second.output().contains("io.soulgraph.relay.Relay source: shared objects file (top)"),
        "the relay's classes come from the archive:\n" + head(second.output()));
  }

  private static List<String> relayOptions(Path dataDir) {
    return List.of("--port", "0", "--no-gremlin", "--no-libp2p", "--data-dir", dataDir.toString());
  }

  private Run start(List<String> options, String javaOpts) throws IOException {
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/soulgraph").toString()));
    command.addAll(options);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_OPTS", javaOpts);
    builder.environment().remove("SOULGRAPH_CLASS_SHARING");
    return new Run(builder.start());
  }

  private static List<Path> archives(Path target) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().startsWith("soulgraph-relay.jsa"))
          .sorted().toList();
    }
  }

  private static String head(String output) {
    return output.length() > 4000 ? output.substring(0, 4000) + "\n…" : output;
  }

  /** One launch; its output is read as it comes, so a chatty JVM never blocks on a full pipe. */
  private static final class Run {
    final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Void> reading;

    Run(Process process) {
      this.process = process;
      this.reading = CompletableFuture.runAsync(this::read);
    }

    private void read() {
      try (InputStream in = process.getInputStream()) {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
          output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        output.append("[output closed: ").append(e).append("]\n");
      }
    }

    String output() {
      return output.toString();
    }

    void awaitListening() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!output().contains("listening on ws://")) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          throw new AssertionError("relay did not start:\n" + head(output()));
        }
        Thread.sleep(50);
      }
    }

    /** SIGTERM (a clean stop), then wait for the JVM, archive and all. */
    void terminate() throws Exception {
      new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start()
          .waitFor(10, TimeUnit.SECONDS);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("no exit after SIGTERM:\n" + head(output()));
      }
      reading.get(30, TimeUnit.SECONDS);
    }
  }
}
