package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.Libp2pFederationIT.address;
import static io.soulgraph.relay.it.Libp2pFederationIT.awaitValue;
import static io.soulgraph.relay.it.Libp2pFederationIT.relay;
import static io.soulgraph.relay.it.Libp2pFederationIT.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code examples/js-peer/peer.mjs} as docs/federation.md runs it: a js-libp2p 3.3.11 node with
 * {@code @libp2p/gossipsub} 17.1.1 joins the relay's network, writes a node that a real {@code
 * gun} client then reads from the relay, and prints what a {@code gun} client writes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class JsPeerExampleIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Path EXAMPLE = Path.of("../examples/js-peer").toAbsolutePath();

  @Test
  void jsPeer_writesWhatGunReads_andPrintsWhatGunWrites() throws Exception {
    NodeScripts.dir();
    String fromJs = "js/" + UUID.randomUUID();
    String fromGun = "gun/" + UUID.randomUUID();
    try (Relay relay = Relay.start(relay("default", null));
        NodeScripts.Running peer = NodeScripts.startIn(EXAMPLE, "peer.mjs", address(relay),
            "default", fromJs, "name", "written by js")) {
      JsonNode joined = peer.line(1, PATIENCE);
      assertEquals("joined", joined.path("event").asText(), joined.toString());
      assertEquals(relay.libp2p().peerId(), joined.path("relay").asText());
      JsonNode wrote = peer.line(2, PATIENCE);
      assertEquals("wrote", wrote.path("event").asText(), wrote.toString());
      assertTrue(wrote.path("recipients").asInt() > 0, wrote.toString());

      awaitValue(relay, fromJs, "name", "written by js");

      write(relay, fromGun, "{\"greeting\":\"hello js\"}");
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (peer.lines().stream().noneMatch(line -> "change".equals(line.path("event").asText())
          && fromGun.equals(line.path("soul").asText())
          && "greeting".equals(line.path("field").asText())
          && "hello js".equals(line.path("value").asText()))) {
        if (System.nanoTime() > deadline) {
          fail("the js peer did not print the gun client's write: " + peer.lines());
        }
        Thread.sleep(100);
      }
    }
  }
}
