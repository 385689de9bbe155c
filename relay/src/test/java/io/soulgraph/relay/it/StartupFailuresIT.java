package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.RelayProcesses.awaitListening;
import static io.soulgraph.relay.it.RelayProcesses.collectOutput;
import static io.soulgraph.relay.it.RelayProcesses.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees when the relay cannot start: the jar, run as users run it, prints one line
 * on stderr naming the problem and the option that fixes it, exits non-zero, shows no stack trace
 * unless {@code --verbose}, and fails before it opens the store. And an unreachable {@code --peer}
 * is warned about once and shown in /info and /health.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class StartupFailuresIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** The output of a relay JVM that was expected to exit. */
  private record Exit(int code, List<String> stderr, String stdout) {}

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add("java");
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(System.getProperty("relay.jar", "target/soulgraph-relay.jar"));
    command.addAll(Arrays.asList(args));
    return command;
  }

  private static Exit run(String... args) throws Exception {
    Process process = new ProcessBuilder(command(args)).start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      fail("Expected the relay to exit but it kept running:\n" + out.get() + err.get());
    }
    List<String> stderr =
        err.get(10, TimeUnit.SECONDS).lines().filter(line -> !line.isBlank()).toList();
    return new Exit(process.exitValue(), stderr, out.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }

  private static void assertOneLine(String expected, Exit exit) {
    assertEquals(List.of(expected), exit.stderr(), "stderr; stdout was:\n" + exit.stdout());
    assertEquals(1, exit.code());
    assertFalse(exit.stdout().contains("\tat "), "no stack trace:\n" + exit.stdout());
    assertFalse(exit.stdout().contains("Exception"), "no exception text:\n" + exit.stdout());
  }

  /** A port that is in use for as long as the socket is open. */
  private static ServerSocket occupied() throws IOException {
    return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = occupied()) {
      return socket.getLocalPort();
    }
  }

  private Path dataDir() {
    return tmp.resolve("data");
  }

  private void assertStoreNeverOpened() throws IOException {
    if (Files.isDirectory(dataDir())) {
      try (var files = Files.list(dataDir())) {
        assertEquals(List.of(), files.toList(), "the store was not opened");
      }
    }
  }

  @Test
  void gremlinPortInUse_oneLineNamingPortAndOptions_beforeTheStoreOpens() throws Exception {
    try (ServerSocket taken = occupied()) {
      int port = taken.getLocalPort();
      Exit exit =
          run("--port", "0", "--data-dir", dataDir().toString(), "--gremlin-port", "" + port,
              "--no-libp2p");
      assertOneLine(
          "soulgraph: port " + port + " (Gremlin) is in use; use --gremlin-port or --no-gremlin",
          exit);
      assertStoreNeverOpened();
    }
  }

  @Test
  void webSocketPortInUse_oneLineNamingPortAndOption() throws Exception {
    try (ServerSocket taken = occupied()) {
      int port = taken.getLocalPort();
      Exit exit =
          run("--port", "" + port, "--data-dir", dataDir().toString(), "--no-gremlin",
              "--no-libp2p");
      assertOneLine("soulgraph: port " + port + " (WebSocket/HTTP) is in use; use --port", exit);
      assertStoreNeverOpened();
    }
  }

  @Test
  void libp2pPortInUse_oneLineNamingPortAndOptions() throws Exception {
    try (ServerSocket taken = occupied()) {
      int port = taken.getLocalPort();
      Exit exit =
          run("--port", "0", "--data-dir", dataDir().toString(), "--no-gremlin",
              "--libp2p-port", "" + port);
      assertOneLine(
          "soulgraph: port " + port + " (libp2p) is in use; use --libp2p-port or --no-libp2p",
          exit);
      assertStoreNeverOpened();
    }
  }

  @Test
  void portInUse_verbose_addsTheStackTrace() throws Exception {
    try (ServerSocket taken = occupied()) {
      int port = taken.getLocalPort();
      Exit exit =
          run("--port", "" + port, "--storage", "inmemory", "--no-gremlin", "--no-libp2p",
              "--verbose");
      assertEquals(1, exit.code());
      assertEquals(
          "soulgraph: port " + port + " (WebSocket/HTTP) is in use; use --port",
          exit.stderr().get(0));
      assertTrue(
          exit.stderr().stream().anyMatch(line -> line.startsWith("\tat ")),
          "a stack trace with --verbose: " + exit.stderr());
    }
  }

  @Test
  void dataDirIsAFile_oneLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    Exit exit =
        run("--port", "0", "--data-dir", file.toString(), "--no-gremlin", "--no-libp2p");
    assertOneLine(
        "soulgraph: data dir " + file + " is a file, not a directory; use --data-dir DIR", exit);
  }

  @Test
  void dataDirOfARunningRelay_oneLine() throws Exception {
    Process first =
        new ProcessBuilder(
                command("--port", "0", "--data-dir", dataDir().toString(), "--no-gremlin",
                    "--no-libp2p"))
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    collectOutput(first, output);
    try {
      awaitListening(first, output, Duration.ofSeconds(60), "Relay");
      Exit second =
          run("--port", "0", "--data-dir", dataDir().toString(), "--no-gremlin", "--no-libp2p");
      assertOneLine(
          "soulgraph: data dir "
              + dataDir()
              + " is in use by another relay; stop it or use --data-dir DIR",
          second);
    } finally {
      stop(first);
    }
  }

  @Test
  void peerUrlNotARelay_oneLine() throws Exception {
    Exit exit =
        run("--port", "0", "--storage", "inmemory", "--no-gremlin", "--no-libp2p",
            "--peer", "ftp://127.0.0.1:1/gun");
    assertOneLine(
        "soulgraph: --peer ftp://127.0.0.1:1/gun is not a relay URL; expected ws://host:port/gun",
        exit);
  }

  @Test
  void peerUrlMalformed_oneLineWithoutUsage() throws Exception {
    Exit exit = run("--storage", "inmemory", "--peer", "ws://bad host/gun");
    assertEquals(2, exit.code());
    assertEquals(1, exit.stderr().size(), "one line: " + exit.stderr());
    assertTrue(exit.stderr().get(0).startsWith("soulgraph: "), exit.stderr().get(0));
    assertTrue(exit.stderr().get(0).contains("--peer"), exit.stderr().get(0));
  }

  @Test
  void unknownStorage_oneLineAndUsageExitCode() throws Exception {
    Exit exit = run("--storage", "nosuch", "--no-gremlin", "--no-libp2p");
    assertEquals(2, exit.code());
    assertEquals(
        List.of(
            "soulgraph: Expected --storage inmemory, berkeleyje or cql but received nosuch"
                + " (soulgraph --help lists the options)"),
        exit.stderr());
  }

  @Test
  void cassandraUnreachable_oneLineNamingWhereAndOptions() throws Exception {
    int closed = freePort();
    Exit exit =
        run("--port", "0", "--storage", "cql", "--cql-hosts", "127.0.0.1", "--cql-port",
            "" + closed, "--data-dir", dataDir().toString(), "--no-gremlin", "--no-libp2p");
    assertEquals(1, exit.code());
    assertEquals(1, exit.stderr().size(), "one line: " + exit.stderr());
    String line = exit.stderr().get(0);
    assertTrue(
        line.startsWith("soulgraph: cannot reach Cassandra at 127.0.0.1:" + closed + " ("), line);
    assertTrue(line.endsWith("use --cql-hosts/--cql-port (or --storage berkeleyje)"), line);
  }

  @Test
  void unreachablePeer_warnedOnce_andShownInInfoAndHealth() throws Exception {
    String peer = "ws://127.0.0.1:" + freePort() + "/gun";
    Process process =
        new ProcessBuilder(
                command("--port", "0", "--storage", "inmemory", "--no-gremlin", "--no-libp2p",
                    "--peer", peer))
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    collectOutput(process, output);
    try {
      int port = awaitListening(process, output, Duration.ofSeconds(60), "Relay");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      JsonNode info = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        info = get(http, port, "/info");
        if (info.path("peers").path(0).path("failures").asInt() >= 3) {
          break;
        }
        Thread.sleep(100);
      }
      JsonNode state = info.path("peers").path(0);
      assertEquals(peer, state.path("url").asText(), info.toString());
      assertEquals("unreachable", state.path("state").asText(), info.toString());
      assertTrue(state.path("failures").asInt() >= 3, info.toString());
      assertTrue(state.path("lastError").asText().contains("refused"), info.toString());
      JsonNode health = get(http, port, "/health");
      assertEquals("unreachable", health.path("peerStates").path(0).path("state").asText());
      String log;
      synchronized (output) {
        log = output.toString();
      }
      assertEquals(
          1,
          log.lines().filter(line -> line.contains("WARN") && line.contains(peer)).count(),
          "one warning for the first failed dial, not one per retry:\n" + log);
    } finally {
      stop(process);
    }
  }

  private static JsonNode get(HttpClient http, int port, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
