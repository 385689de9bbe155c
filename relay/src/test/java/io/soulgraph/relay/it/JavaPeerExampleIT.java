package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.Libp2pFederationIT.address;
import static io.soulgraph.relay.it.Libp2pFederationIT.awaitValue;
import static io.soulgraph.relay.it.Libp2pFederationIT.relay;
import static io.soulgraph.relay.it.Libp2pFederationIT.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code examples/java-peer/JavaPeerExample.java} as its header runs it (a single-file program on
 * the relay jar's class path): an in-process Java peer joins a relay's network, writes a node that
 * a real {@code gun} client then reads from the relay, and prints what a {@code gun} client writes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class JavaPeerExampleIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Path EXAMPLE =
      Path.of("../examples/java-peer/JavaPeerExample.java").toAbsolutePath();

  @Test
  void javaPeer_writesWhatGunReads_andPrintsWhatGunWrites() throws Exception {
    NodeScripts.dir();
    String jar = Path.of(System.getProperty("relay.jar", "target/soulgraph-relay.jar"))
        .toAbsolutePath().toString();
    String soul = "java/" + UUID.randomUUID();
    try (Relay relay = Relay.start(relay("default", null))) {
      Process process = new ProcessBuilder(List.of("java", "-Xmx256m", "-cp", jar,
          EXAMPLE.toString(), address(relay), "default", soul)).redirectErrorStream(true).start();
      try (NodeScripts.Running peer = new NodeScripts.Running(process)) {
        JsonNode started = peer.line(1, PATIENCE);
        assertEquals("started", started.path("event").asText(), started.toString());
        awaitValue(relay, soul, "text", "hello from Java");
        awaitValue(relay, soul, "lucky", "7");

        write(relay, soul, "{\"reply\":\"hello from gun\"}");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (peer.lines().stream().noneMatch(line -> "change".equals(line.path("event").asText())
            && "hello from gun".equals(line.path("fields").path("reply").asText()))) {
          if (System.nanoTime() > deadline) {
            fail("the Java peer did not print the gun client's write: " + peer.lines());
          }
          Thread.sleep(100);
        }
      }
    }
  }
}
