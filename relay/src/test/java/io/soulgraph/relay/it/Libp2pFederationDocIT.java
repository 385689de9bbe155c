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
 * docs/federation.md's libp2p example, run as written: the three lines of its {@code --bootstrap}
 * shell block (start A; read A's multiaddr from {@code /info} with curl and grep, run by bash;
 * start B bootstrapping it) in a temp working directory, with the relay jar for {@code
 * bin/soulgraph} and every port number swapped for a free one. A write on B is read on A, with no
 * {@code --peer} between them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class Libp2pFederationDocIT {

  private static final Path DOC = Path.of("../docs/federation.md");
  private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PORT = Pattern.compile("(?<=[ :/])(\\d{4,5})(?=[ /]|$)");

  @TempDir Path work;

  private static List<String> documentedLines() throws IOException {
    Matcher block = SH_BLOCK.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
    while (block.find()) {
      if (block.group(1).contains("--bootstrap")) {
        List<String> lines = block.group(1).lines().map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals(3, lines.size(), "start A, read its address, start B: " + lines);
        return lines;
      }
    }
    return fail("no ```sh block with --bootstrap in " + DOC);
  }

  private static String withFreePorts(String line, Map<String, Integer> ports) {
    Matcher port = PORT.matcher(line);
    StringBuilder out = new StringBuilder();
    while (port.find()) {
      port.appendReplacement(out,
          Integer.toString(ports.computeIfAbsent(port.group(1), p -> freePort())));
    }
    port.appendTail(out);
    return out.toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Process relay(String jar, String line, List<StringBuilder> outputs) throws IOException {
    List<String> argv = new ArrayList<>(List.of("java", "-Xmx384m", "-jar", jar));
    argv.addAll(List.of(line.substring("bin/soulgraph".length()).trim().split("\\s+")));
    Process relay = new ProcessBuilder(argv).directory(work.toFile())
        .redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    outputs.add(output);
    collectOutput(relay, output);
    return relay;
  }

  /** Runs the documented assignment {@code A=$(...)} in bash and returns what it assigned. */
  private String assigned(String line) throws Exception {
    assertTrue(line.startsWith("A=$("), line);
    Process bash = new ProcessBuilder("bash", "-c", line + "; printf %s \"$A\"")
        .directory(work.toFile()).redirectErrorStream(true).start();
    if (!bash.waitFor(30, TimeUnit.SECONDS)) {
      bash.destroyForcibly();
      fail("`" + line + "` did not finish");
    }
    return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  @Test
  void libp2pExample_runsAsWritten_andAWriteOnBIsReadOnA() throws Exception {
    Map<String, Integer> ports = new HashMap<>();
    List<Process> relays = new ArrayList<>();
    List<StringBuilder> outputs = new ArrayList<>();
    String jar = Path.of(System.getProperty("relay.jar", "target/soulgraph-relay.jar"))
        .toAbsolutePath().toString();
    List<String> lines = documentedLines();
    try {
      relays.add(relay(jar, withFreePorts(lines.get(0), ports), outputs));
      int portA = awaitListening(relays.get(0), outputs.get(0), Duration.ofSeconds(90), "A");
      String address = assigned(withFreePorts(lines.get(1), ports));
      assertTrue(address.matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/12D3KooW\\w+"),
          "A's multiaddr from /info: '" + address + "'");
      relays.add(relay(jar, withFreePorts(lines.get(2), ports).replace("$A", address), outputs));
      int portB = awaitListening(relays.get(1), outputs.get(1), Duration.ofSeconds(90), "B");
      try (WireClient a = new WireClient(URI.create("ws://127.0.0.1:" + portA + "/gun"));
          WireClient b = new WireClient(URI.create("ws://127.0.0.1:" + portB + "/gun"))) {
        JsonNode answer = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int attempt = 0; answer == null && System.nanoTime() < deadline; attempt++) {
          // Repeated until the relays are linked: a write before the link is only caught up.
          b.send(GunFrames.put("doc-put-" + attempt, "doc/libp2p", System.currentTimeMillis(),
              Map.of("written", "\"on b\"")));
          assertEquals(true, b.replyTo("doc-put-" + attempt).path("ok").asBoolean(true));
          Thread.sleep(500);
          String id = "doc-get-" + attempt;
          a.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"doc/libp2p\"}}");
          JsonNode reply = a.replyTo(id);
          if (reply.path("put").path("doc/libp2p").has("written")) {
            answer = reply;
          }
        }
        if (answer == null) {
          fail("relay A never had B's write; outputs:\n" + outputs);
        }
        assertEquals("on b", answer.path("put").path("doc/libp2p").path("written").asText());
      }
    } finally {
      for (Process relay : relays) {
        RelayProcesses.stop(relay);
      }
    }
  }
}
