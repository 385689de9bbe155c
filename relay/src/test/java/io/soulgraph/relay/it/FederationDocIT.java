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
 * docs/federation.md's two-relay example, run as written: the {@code bin/soulgraph} commands of
 * its first shell block, in a temp working directory, with the relay jar for {@code
 * bin/soulgraph} and every port number in the commands swapped for a free one (tests bind free
 * ports only). Both relays start, and a write on one is read on the other.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class FederationDocIT {

  private static final Path DOC = Path.of("../docs/federation.md");
  private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PORT = Pattern.compile("(?<=[ :])(\\d{4,5})(?=[ /]|$)");

  @TempDir Path work;

  /** The example's commands: the lines of the doc's first sh block that run the relay. */
  static List<String> documentedCommands() throws IOException {
    Matcher block = SH_BLOCK.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
    assertTrue(block.find(), "a ```sh block in " + DOC);
    List<String> commands =
        block.group(1).lines().map(String::trim).filter(l -> l.startsWith("bin/soulgraph")).toList();
    assertEquals(2, commands.size(), "two relays in the example: " + commands);
    return commands;
  }

  /** The command with every port number replaced, the same number by the same free port. */
  static String withFreePorts(String command, Map<String, Integer> ports) {
    Matcher port = PORT.matcher(command);
    StringBuilder out = new StringBuilder();
    while (port.find()) {
      int free = ports.computeIfAbsent(port.group(1), p -> freePort());
      port.appendReplacement(out, Integer.toString(free));
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

  @Test
  void twoRelayExample_runsAsWritten_andAWriteOnOneIsReadOnTheOther() throws Exception {
    Map<String, Integer> ports = new HashMap<>();
    List<Process> relays = new ArrayList<>();
    List<StringBuilder> outputs = new ArrayList<>();
    String jar = Path.of(System.getProperty("relay.jar", "target/soulgraph-relay.jar"))
        .toAbsolutePath().toString();
    try {
      List<Integer> wsPorts = new ArrayList<>();
      for (String documented : documentedCommands()) {
        String command = withFreePorts(documented, ports);
        List<String> argv = new ArrayList<>(List.of("java", "-Xmx384m", "-jar", jar));
        argv.addAll(List.of(command.substring("bin/soulgraph".length()).trim().split("\\s+")));
        Process relay = new ProcessBuilder(argv).directory(work.toFile())
            .redirectErrorStream(true).start();
        relays.add(relay);
        StringBuilder output = new StringBuilder();
        outputs.add(output);
        collectOutput(relay, output);
        wsPorts.add(
            awaitListening(relay, output, Duration.ofSeconds(90), "`" + documented + "`"));
      }
      assertTrue(Files.isDirectory(work.resolve("a")) && Files.isDirectory(work.resolve("b")),
          "each relay has its own data dir");
      try (WireClient a = new WireClient(URI.create("ws://127.0.0.1:" + wsPorts.get(0) + "/gun"));
          WireClient b =
              new WireClient(URI.create("ws://127.0.0.1:" + wsPorts.get(1) + "/gun"))) {
        b.send(GunFrames.put("doc-put", "doc/federation", System.currentTimeMillis(),
            Map.of("written", "\"on b\"")));
        assertEquals(true, b.replyTo("doc-put").path("ok").asBoolean(true));
        JsonNode answer = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
          String id = "doc-get-" + attempt;
          a.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"doc/federation\"}}");
          JsonNode reply = a.replyTo(id);
          if (reply.path("put").path("doc/federation").has("written")) {
            answer = reply;
            break;
          }
          Thread.sleep(200);
        }
        if (answer == null) {
          fail("relay a never had b's write; outputs:\n" + outputs);
        }
        assertEquals("on b", answer.path("put").path("doc/federation").path("written").asText());
      }
    } finally {
      for (Process relay : relays) {
        relay.destroy();
      }
      for (Process relay : relays) {
        if (!relay.waitFor(30, TimeUnit.SECONDS)) {
          relay.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }

}
