package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.Libp2pFederationIT.address;
import static io.soulgraph.relay.it.Libp2pFederationIT.relay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A js-libp2p peer ({@code examples/js-peer}, {@code @libp2p/gossipsub}) publishes a forged write
 * into a user's signed space: the relay's gossip validator rejects it, nothing is stored, and a
 * client subscribed to that user's soul never receives it, while an honest write the same way
 * arrives.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class ForgedGossipIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Path EXAMPLE = Path.of("../examples/js-peer").toAbsolutePath();
  /** A real SEA user's soul (testdata/gun-captures/03-…): only its owner's key may sign into it. */
  private static final String VICTIM =
      "~UO84q0L67Y7sRKo38tZ_KHK0R4Z0wnxg4iSzVmeZhKg.FgSF9c2Tt_3vpxLKsGhaCxLQaDsTzoJt_W4yqrr4Lr4";
  /** A SEA-shaped value whose signature is not the owner's. */
  private static final String FORGED = "{\":\":\"mallory was here\",\"~\":\""
      + "A".repeat(86) + "==\"}";

  private static Predicate<JsonNode> pushOf(String soul) {
    return message -> message.path("put").has(soul) && !message.has("@");
  }

  private static Predicate<JsonNode> replyTo(String id) {
    return message -> id.equals(message.path("@").asText());
  }

  @Test
  void forgedUserSpacePut_overGossip_isRejected_notStored_andNeverReachesASubscriber()
      throws Exception {
    NodeScripts.dir();
    String honest = "js/" + UUID.randomUUID();
    try (Relay relay = Relay.start(relay("default", null));
        WireClient browser = new WireClient(relay.gunUrl())) {
      browser.send("[{\"#\":\"g1\",\"get\":{\"#\":\"" + VICTIM + "\"}},"
          + "{\"#\":\"g2\",\"get\":{\"#\":\"" + honest + "\"}}]");
      browser.await(replyTo("g1"), PATIENCE);
      browser.await(replyTo("g2"), PATIENCE);

      try (NodeScripts.Running forger = NodeScripts.startIn(EXAMPLE, "peer.mjs", address(relay),
          "default", VICTIM, "name", FORGED)) {
        JsonNode wrote = forger.line(2, PATIENCE);
        assertEquals("wrote", wrote.path("event").asText(), wrote.toString());
        assertTrue(wrote.path("recipients").asInt() > 0, "the relay was a recipient: " + wrote);
      }
      try (NodeScripts.Running writer = NodeScripts.startIn(EXAMPLE, "peer.mjs", address(relay),
          "default", honest, "name", "written by js")) {
        assertEquals("wrote", writer.line(2, PATIENCE).path("event").asText());
        JsonNode pushed = browser.await(pushOf(honest), PATIENCE);
        assertEquals("written by js", pushed.path("put").path(honest).path("name").asText());
      }

      assertEquals(List.of(), browser.allAfter(pushOf(VICTIM), Duration.ZERO));
      assertEquals(Optional.empty(), relay.store().node(VICTIM));
      assertTrue(relay.metrics().count("soulgraph.gossip.messages.in") >= 2);
      String metrics = relay.metrics().scrape();
      assertTrue(java.util.regex.Pattern
              .compile("soulgraph_gossip_messages_in_total\\{[^}]*outcome=\"rejected\"[^}]*\\} [1-9]")
              .matcher(metrics).find(),
          "the forgery is counted as rejected: " + metrics.lines()
              .filter(l -> l.contains("gossip")).toList());
    }
  }
}
