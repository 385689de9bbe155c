package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.ham.JsJson;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory attacks of issue 17 against a relay with its default limits: a wide node, many
 * nodes, a long link chain and a flood of future-state puts, each at the limit (accepted) and
 * just past it (refused whole with {@code err}). After each the relay still serves a bystander
 * and {@code /health} is ok. Before the limits, the 30,000-field put alone drove a 512 MiB
 * relay to OutOfMemoryError.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
final class MemoryAttackIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Set here, below the default (20,000), to test the field bound at a size quick to commit. */
  private static final int MAX_PUT_FIELDS = 1000;
  private static final int MAX_PUT_BYTES = 1 << 20;
  private static final Duration ANSWER = Duration.ofSeconds(120);
  private static Relay relay;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startRelay() {
    io.soulgraph.relay.gun.GunLimits d = io.soulgraph.relay.gun.GunLimits.defaults();
    io.soulgraph.relay.gun.GunLimits.Memory m = d.memory();
    relay = Relay.start(RelayConfig.ephemeral().withLimits(d.withMemory(
        new io.soulgraph.relay.gun.GunLimits.Memory(m.maxPutBytes(), MAX_PUT_FIELDS,
            m.maxInFlightBytes(), m.maxOutboundBytes(), m.maxIdLength(),
            m.maxSubscriptionBytes(), m.messageLogBytes()))));
  }

  @AfterAll
  static void stopRelay() {
    relay.close();
  }

  private static long past() {
    return System.currentTimeMillis() - 1000;
  }

  /** One node of {@code fields} string fields, each value {@code valueChars} long. */
  static String widePut(String id, String soul, int fields, int valueChars, double state) {
    Map<String, String> values = new LinkedHashMap<>();
    String value = JsJson.quote("v".repeat(valueChars));
    for (int i = 0; i < fields; i++) {
      values.put("field" + i, value);
    }
    return GunFrames.put(id, soul, state, values);
  }

  /** {@code nodes} nodes of one field each, or a chain of links when {@code linked}. */
  static String manyNodesPut(String id, String prefix, int nodes, boolean linked, double state) {
    StringBuilder put = new StringBuilder("{\"#\":" + JsJson.quote(id) + ",\"put\":{");
    for (int i = 0; i < nodes; i++) {
      String soul = JsJson.quote(prefix + i);
      String value = linked ? "{\"#\":" + JsJson.quote(prefix + (i + 1)) + "}" : Integer.toString(i);
      put.append(i == 0 ? "" : ",").append(soul).append(":{\"_\":{\"#\":").append(soul)
          .append(",\">\":{\"v\":").append(JsJson.number(state)).append("}},\"v\":")
          .append(value).append('}');
    }
    return put.append("}}").toString();
  }

  static JsonNode health() throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(response.statusCode() == 200, "ok".equals(body.path("status").asText()), body
        .toString());
    return body;
  }

  private static void assertBystanderServed() throws Exception {
    try (WireClient bystander = new WireClient(relay.gunUrl())) {
      String id = "by" + System.nanoTime();
      bystander.send(GunFrames.put(id, "bystander/" + id, past(), "v", "\"fine\""));
      assertEquals(1, bystander.replyTo(id).path("ok").asInt());
      assertEquals("fine", GunWireIT.readField(bystander, "bystander/" + id, "v").asText());
    }
    assertEquals("ok", health().path("status").asText());
  }

  private static JsonNode answer(WireClient client, String id) throws InterruptedException {
    return client.await(m -> id.equals(m.path("@").asText(null)), ANSWER);
  }

  /* --- one wide node --- */

  @Test
  void wideNode_30000Fields_1_35MB_refusedWithErr_relayStaysHealthy() throws Exception {
    try (WireClient evil = new WireClient(relay.gunUrl())) {
      String frame = widePut("wide30k", "attack/wide30k", 30_000, 28, past());
      assertTrue(frame.length() > 1_300_000 && frame.length() < 8 << 20, "" + frame.length());
      evil.send(frame);
      JsonNode err = answer(evil, "wide30k");
      assertTrue(err.path("err").asText().contains("at most " + MAX_PUT_BYTES + " bytes"),
          err.toString());
      assertTrue(GunWireIT.readField(evil, "attack/wide30k", "field0").isMissingNode());
    }
    assertBystanderServed();
  }

  @Test
  void wideNode_atFieldLimit_isAcked_oneFieldMore_isRefusedWhole() throws Exception {
    try (WireClient writer = new WireClient(relay.gunUrl())) {
      writer.send(widePut("wideAt", "attack/wideAt", MAX_PUT_FIELDS, 900, past()));
      assertEquals(1, answer(writer, "wideAt").path("ok").asInt());
      writer.send(widePut("widePast", "attack/widePast", MAX_PUT_FIELDS + 1, 10, past()));
      JsonNode err = answer(writer, "widePast");
      assertTrue(err.path("err").asText().contains("at most " + MAX_PUT_FIELDS + " fields"),
          err.toString());
      assertTrue(GunWireIT.readField(writer, "attack/widePast", "field0").isMissingNode());
      assertEquals("v".repeat(900),
          GunWireIT.readField(writer, "attack/wideAt", "field999").asText());
    }
    assertBystanderServed();
  }

  @Test
  void wideNode_justPastByteLimit_isRefusedWhole() throws Exception {
    try (WireClient writer = new WireClient(relay.gunUrl())) {
      writer.send(widePut("bytesPast", "attack/bytesPast", 100, 10_500, past()));
      JsonNode err = answer(writer, "bytesPast");
      assertTrue(err.path("err").asText().contains("bytes"), err.toString());
      assertTrue(GunWireIT.readField(writer, "attack/bytesPast", "field0").isMissingNode());
    }
    assertBystanderServed();
  }

  /* --- many nodes, a long link chain --- */

  @Test
  void manyNodes_atLimit_isAcked_justPast_isRefusedWhole() throws Exception {
    try (WireClient writer = new WireClient(relay.gunUrl())) {
      writer.send(manyNodesPut("manyAt", "attack/many/", MAX_PUT_FIELDS, false, past()));
      assertEquals(1, answer(writer, "manyAt").path("ok").asInt());
      writer.send(manyNodesPut("manyPast", "attack/manyPast/", MAX_PUT_FIELDS + 1, false, past()));
      assertTrue(answer(writer, "manyPast").path("err").isTextual());
      assertTrue(GunWireIT.readField(writer, "attack/manyPast/0", "v").isMissingNode());
      assertEquals(999, GunWireIT.readField(writer, "attack/many/999", "v").asInt());
    }
    assertBystanderServed();
  }

  @Test
  void deepLinkChain_atLimit_isAckedAndWalkable_justPast_isRefusedWhole() throws Exception {
    try (WireClient writer = new WireClient(relay.gunUrl())) {
      writer.send(manyNodesPut("chainAt", "attack/chain/", MAX_PUT_FIELDS, true, past()));
      assertEquals(1, answer(writer, "chainAt").path("ok").asInt());
      writer.send(manyNodesPut("chainPast", "attack/chainPast/", MAX_PUT_FIELDS + 1, true,
          past()));
      assertTrue(answer(writer, "chainPast").path("err").isTextual());
      assertTrue(GunWireIT.readField(writer, "attack/chainPast/0", "v").isMissingNode());
      String soul = "attack/chain/0";
      for (int hop = 0; hop < 5; hop++) {
        soul = GunWireIT.readField(writer, soul, "v").path("#").asText();
      }
      assertEquals("attack/chain/5", soul);
      assertEquals("attack/chain/1000",
          GunWireIT.readField(writer, "attack/chain/999", "v").path("#").asText());
    }
    assertBystanderServed();
  }

  /* --- future states --- */

  @Test
  void deferredFlood_7x1MB_tomorrow_isBoundedPerConnection_othersStillDefer() throws Exception {
    double tomorrow = System.currentTimeMillis() + 86_400_000.0;
    int refused = 0;
    try (WireClient flooder = new WireClient(relay.gunUrl())) {
      for (int i = 0; i < 7; i++) {
        flooder.send(widePut("later" + i, "attack/later" + i, 1000, 1000, tomorrow));
      }
      for (JsonNode m : flooder.allAfter(m -> m.path("@").asText("").startsWith("later"),
          Duration.ofSeconds(5))) {
        assertFalse(m.path("ok").asInt() == 1, "a deferred put is not acked: " + m);
        assertTrue(m.path("err").asText().contains("deferred"), m.toString());
        refused++;
      }
    }
    assertTrue(refused >= 6, "at most one 1 MB put fits one connection's deferral bytes: "
        + refused);
    try (WireClient other = new WireClient(relay.gunUrl())) {
      other.send(widePut("laterOther", "attack/laterOther", 10, 100, tomorrow));
      assertTrue(other.allAfter(m -> "laterOther".equals(m.path("@").asText(null)),
          Duration.ofSeconds(2)).isEmpty(), "another connection's future put is held, silently");
    }
    assertBystanderServed();
  }
}
