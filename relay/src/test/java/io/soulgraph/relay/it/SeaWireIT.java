package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunFrames;
import io.soulgraph.relay.sea.Forgeries;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signed user space over the wire: a victim's valid signed writes, and another key's writes under
 * the victim's certificate, are acked and served; 1,680 generated forgeries against it (21 kinds,
 * certificates included) are each answered with GunDB's error, none is acked, stored or
 * served, the attacker's connection stays usable, and other clients are served throughout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class SeaWireIT {

  private static Relay relay;

  @BeforeAll
  static void startRelay() {
    relay = Relay.start(RelayConfig.ephemeral());
  }

  @AfterAll
  static void stopRelay() {
    relay.close();
  }

  /** The raw frame a captured session sent with message id {@code id}. */
  private static String capturedFrame(String id) throws Exception {
    for (String line :
        io.soulgraph.relay.sea.CapturedFrames.text("06-raw-sea-forgery-experiments.txt")
            .split("\n")) {
      if (line.contains(" >> {\"#\":\"" + id + "\"")) {
        return line.substring(line.indexOf('{'));
      }
    }
    throw new AssertionError("no frame " + id);
  }

  @Test
  void capturedMixedPut_validFieldStoredAndPushed_putAnsweredWithErrorNeverAcked()
      throws Exception {
    String soul =
        "~ofpSoIjjxu5EKHYNiyXQ8vaMRSZY7T4hEJAxzmux9_0.Q6HMoQy0A98ROJX-v6_kLa2mpul9dPgsTARF9bfi414";
    try (WireClient writer = new WireClient(relay.gunUrl());
        WireClient subscriber = new WireClient(relay.gunUrl())) {
      writer.send(capturedFrame("sea-ok"));
      assertTrue(writer.replyTo("sea-ok").path("ok").asBoolean(false));
      subscriber.send("{\"#\":\"sub\",\"get\":{\"#\":" + io.soulgraph.ham.JsJson.quote(soul) + "}}");
      subscriber.replyTo("sub");

      writer.send(capturedFrame("sea-mixed"));
      assertEquals("Unverified data.", writer.replyTo("sea-mixed").path("err").asText());
      JsonNode pushed = subscriber.await(
          m -> !m.has("@") && m.path("put").path(soul).has("good2"), Duration.ofSeconds(10));
      assertFalse(pushed.path("put").path(soul).has("bad2"));
      assertEquals(List.of(), writer.allAfter(
          m -> "sea-mixed".equals(m.path("@").asText()) && m.has("ok"), Duration.ofMillis(500)));

      subscriber.send("{\"#\":\"again\",\"get\":{\"#\":" + io.soulgraph.ham.JsJson.quote(soul) + "}}");
      JsonNode node = subscriber.replyTo("again").path("put").path(soul);
      assertTrue(node.has("good2") && node.has("name") && !node.has("bad2"), node.toString());
    }
  }

  @Test
  void forgeryCorpus_allRefused_validWritesServed_relayUp() throws Exception {
    Forgeries corpus = new Forgeries(7, System.currentTimeMillis() - 600_000);
    String alias = "victim" + System.nanoTime();
    Map<String, Set<String>> validFields = new HashMap<>();
    try (WireClient victim = new WireClient(relay.gunUrl());
        WireClient attacker = new WireClient(relay.gunUrl());
        WireClient bystander = new WireClient(relay.gunUrl())) {
      List<Forgeries.Write> valid = new java.util.ArrayList<>(corpus.valid(30));
      valid.addAll(corpus.certified(10));
      valid.add(corpus.aliasClaim(alias));
      int n = 0;
      for (Forgeries.Write write : valid) {
        String id = "valid" + n++;
        victim.send(GunFrames.put(id, write.soul(), write.state(), write.key(), write.valueJson()));
        JsonNode ack = victim.replyTo(id);
        assertTrue(ack.path("ok").asBoolean(false) || ack.path("ok").isInt(), ack.toString());
        validFields.computeIfAbsent(write.soul(), s -> new HashSet<>()).add(write.key());
      }

      List<Forgeries.Write> forged = corpus.forged(80, alias);
      assertTrue(forged.size() >= 1000);
      for (int i = 0; i < forged.size(); i++) {
        Forgeries.Write write = forged.get(i);
        attacker.send(
            GunFrames.put("forged" + i, write.soul(), write.state(), write.key(), write.valueJson()));
        if (i % 100 == 99) {
          attacker.replyTo("forged" + i); // pace: stay under the per-peer message rate
        }
      }
      for (int i = 0; i < forged.size(); i++) {
        JsonNode reply = attacker.replyTo("forged" + i);
        assertEquals(forged.get(i).expectedError(), reply.path("err").asText(null),
            forged.get(i).kind() + " got " + reply);
      }
      List<JsonNode> acks =
          attacker.allAfter(m -> m.path("@").asText("").startsWith("forged") && m.has("ok"),
              Duration.ofMillis(500));
      assertEquals(List.of(), acks);
      assertTrue(attacker.isOpen(), "a refused put is not abuse: the attacker stays connected");

      bystander.send(GunFrames.put("plain", "plain/" + alias, System.currentTimeMillis(), "x", "1"));
      assertTrue(bystander.replyTo("plain").path("ok").asBoolean(false));
      for (Map.Entry<String, Set<String>> soul : validFields.entrySet()) {
        String id = "get" + soul.getKey().hashCode();
        bystander.send("{\"#\":\"" + id + "\",\"get\":{\"#\":" + io.soulgraph.ham.JsJson.quote(soul.getKey()) + "}}");
        JsonNode node = bystander.replyTo(id).path("put").path(soul.getKey());
        Set<String> served = new HashSet<>();
        node.fieldNames().forEachRemaining(served::add);
        served.remove("_");
        assertEquals(soul.getValue(), served, "only the valid fields of " + soul.getKey());
      }
    }
  }
}
