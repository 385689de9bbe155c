package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.RelayProcesses.awaitListening;
import static io.soulgraph.relay.it.RelayProcesses.collectOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.gun.GunFrames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/federation.md's examples, run as written in a temp working directory: the relay jar stands
 * for {@code bin/soulgraph} and every port number is swapped for a free one (tests bind free ports
 * only), the same number by the same port across a block's lines.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class FederationDocIT {

  private static final Path DOC = Path.of("../docs/federation.md");
  private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PORT = Pattern.compile("(?<=[ :/])(\\d{4,5})(?=[ /]|$)");

  @TempDir Path work;

  /** The two-relay example (its first sh block): B links to A with {@code --peer}. */
  @Test
  void twoRelayExample_runsAsWritten_andAWriteOnOneIsReadOnTheOther() throws Exception {
    List<String> lines = block(text -> true);
    assertEquals(2, lines.size(), "two relays in the example: " + lines);
    try (DocumentedRelays relays = new DocumentedRelays()) {
      int portA = relays.start(lines.get(0), "A");
      int portB = relays.start(lines.get(1), "B");
      assertTrue(Files.isDirectory(work.resolve("a")) && Files.isDirectory(work.resolve("b")),
          "each relay has its own data dir");
      try (WireClient a = client(portA);
          WireClient b = client(portB)) {
        b.send(GunFrames.put("doc-put", "doc/federation", System.currentTimeMillis(),
            Map.of("written", "\"on b\"")));
        assertEquals(true, b.replyTo("doc-put").path("ok").asBoolean(true));
        awaitWritten(a, "doc/federation", () -> { }, relays);
      }
    }
  }

  /**
   * The libp2p example (the block with {@code --bootstrap}): start A; read A's multiaddr from
   * {@code /info} with curl and grep, run by bash; start B bootstrapping it. A write on B is read
   * on A, with no {@code --peer} between them.
   */
  @Test
  void libp2pExample_runsAsWritten_andAWriteOnBIsReadOnA() throws Exception {
    List<String> lines = block(text -> text.contains("--bootstrap"));
    assertEquals(3, lines.size(), "start A, read its address, start B: " + lines);
    try (DocumentedRelays relays = new DocumentedRelays()) {
      int portA = relays.start(lines.get(0), "A");
      String address = relays.assigned(lines.get(1));
      assertTrue(address.matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/12D3KooW\\w+"),
          "A's multiaddr from /info: '" + address + "'");
      // $A is set after the ports are swapped: its own port is already the real one.
      int portB = relays.start(lines.get(2), "B", line -> line.replace("$A", address));
      try (WireClient a = client(portA);
          WireClient b = client(portB)) {
        int[] attempt = {0};
        // Written again until the relays are linked: a write before the link is only caught up.
        awaitWritten(a, "doc/libp2p", () -> {
          String id = "doc-put-" + attempt[0]++;
          b.send(GunFrames.put(id, "doc/libp2p", System.currentTimeMillis(),
              Map.of("written", "\"on b\"")));
          assertEquals(true, b.replyTo(id).path("ok").asBoolean(true));
        }, relays);
      }
    }
  }

  /** The non-blank, non-comment lines of the doc's first sh block that {@code wanted} accepts. */
  private static List<String> block(java.util.function.Predicate<String> wanted)
      throws IOException {
    Matcher block = SH_BLOCK.matcher(Files.readString(DOC));
    while (block.find()) {
      if (wanted.test(block.group(1))) {
        return block.group(1).lines().map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      }
    }
    return fail("no such ```sh block in " + DOC);
  }

  private static WireClient client(int port) throws Exception {
    return new WireClient(URI.create("ws://127.0.0.1:" + port + "/gun"));
  }

  /** Reads {@code soul} on {@code reader} until it has B's write, running {@code write} first. */
  private static void awaitWritten(WireClient reader, String soul, ThrowingAction write,
      DocumentedRelays relays) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      write.run();
      String id = "doc-get-" + attempt;
      reader.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      JsonNode written = reader.replyTo(id).path("put").path(soul).path("written");
      if (!written.isMissingNode()) {
        assertEquals("on b", written.asText());
        return;
      }
      Thread.sleep(300);
    }
    fail("relay A never had B's write; outputs:\n" + relays.outputs);
  }

  @FunctionalInterface
  private interface ThrowingAction {
    void run() throws Exception;
  }

  /** The relays a doc block starts, with the ports it names mapped to free ones; stops them all. */
  private final class DocumentedRelays implements AutoCloseable {
    private final Map<String, Integer> ports = new HashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<StringBuilder> outputs = new ArrayList<>();
    private final String jar = Path.of(System.getProperty("relay.jar", "target/soulgraph-relay.jar"))
        .toAbsolutePath().toString();

    /** Runs a documented {@code bin/soulgraph ...} line; returns its WebSocket port. */
    int start(String documented, String name) throws Exception {
      return start(documented, name, line -> line);
    }

    /** As {@link #start(String, String)}, with {@code expand} applied after the port swap. */
    int start(String documented, String name, java.util.function.UnaryOperator<String> expand)
        throws Exception {
      String line = expand.apply(withFreePorts(documented));
      List<String> argv = new ArrayList<>(List.of("java", "-Xmx384m", "-jar", jar));
      argv.addAll(List.of(line.substring("bin/soulgraph".length()).trim().split("\\s+")));
      Process relay = new ProcessBuilder(argv).directory(work.toFile())
          .redirectErrorStream(true).start();
      processes.add(relay);
      StringBuilder output = new StringBuilder();
      outputs.add(output);
      collectOutput(relay, output);
      return awaitListening(relay, output, Duration.ofSeconds(90), name + ": `" + documented + "`");
    }

    /** Runs a documented assignment {@code A=$(...)} in bash and returns what it assigned. */
    String assigned(String documented) throws Exception {
      assertTrue(documented.startsWith("A=$("), documented);
      Process bash = new ProcessBuilder("bash", "-c",
          withFreePorts(documented) + "; printf %s \"$A\"")
          .directory(work.toFile()).redirectErrorStream(true).start();
      if (!bash.waitFor(30, TimeUnit.SECONDS)) {
        bash.destroyForcibly();
        fail("`" + documented + "` did not finish");
      }
      return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private String withFreePorts(String line) {
      Matcher port = PORT.matcher(line);
      StringBuilder out = new StringBuilder();
      while (port.find()) {
        port.appendReplacement(out,
            Integer.toString(ports.computeIfAbsent(port.group(1), p -> freePort())));
      }
      port.appendTail(out);
      return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
      for (Process relay : processes) {
        RelayProcesses.stop(relay);
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
