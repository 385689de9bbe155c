package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input hurts only its sender: a corpus of hostile frames (including the two that crash
 * GunDB's 0.2020.1241 relay), oversized and deep frames, floods; afterwards a normal client is
 * served and acked data is intact.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class HostileFramesIT {

  private static final int MAX_FRAME = 64 * 1024;
  private static Relay relay;

  @BeforeAll
  static void startRelay() {
    GunLimits limits =
        new GunLimits(MAX_FRAME, 32, 100, 200, 50, 10_000, 60, 100, 1000, Duration.ofSeconds(9));
    relay = Relay.start(RelayConfig.ephemeral().withLimits(limits));
  }

  @AfterAll
  static void stopRelay() {
    relay.close();
  }

  private static final List<String> CORPUS =
      List.of(
          "[{\"#\":\"x\"",
          "{",
          "not json at all",
          "42",
          "\"a string\"",
          "null",
          "[1,2,3]",
          "[[]]",
          "{}",
          "[]",
          "{\"#\":5,\"get\":{\"#\":\"a\"}}",
          "{\"#\":\"h1\",\"get\":\"a\"}",
          "{\"#\":\"h2\",\"get\":{\"#\":7}}",
          "{\"#\":\"h3\",\"get\":{}}",
          "{\"#\":\"h4\",\"get\":{\"#\":\"a\",\".\":[1]}}",
          "{\"#\":\"h5\",\"put\":\"x\"}",
          "{\"#\":\"h6\",\"put\":[1]}",
          "{\"#\":\"h7\",\"put\":{\"a\":{\"_\":null}}}",
          "{\"#\":\"h8\",\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"k\":\"NaN\"}},\"k\":1}}}",
          "{\"#\":\"h9\",\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"k\":1}},\"k\":{\"#\":5}}}}",
          "{\"#\":\"h10\",\"dam\":\"mob\",\"mob\":99}",
          "{\"#\":\"h11\",\"dam\":\"evil\"}",
          "{\"#\":\"h12\",\"@\":\"nobody-asked\",\"put\":{}}",
          "{\"#\":\"h13\",\"@\":{\"x\":1}}",
          "{\"#\":\"h14\",\"put\":{\"__proto__\":{\"_\":{\"#\":\"__proto__\",\">\":{\"k\":1}},\"k\":1}}}",
          "{\"#\":\"h15\",\"get\":{\"#\":{\"*\":\"\"}}}",
          "\uFEFF{\"#\":\"h16\"}",
          "{\"#\":\"h17\",\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"k\":1e400}},\"k\":1}}}");

  @Test
  void corpus_thenNormalClient_isServed_andAckedDataSurvives() throws Exception {
    try (WireClient good = new WireClient(relay.gunUrl());
        WireClient evil = new WireClient(relay.gunUrl())) {
      long s = System.currentTimeMillis() - 1000;
      good.send("{\"#\":\"keep1\",\"put\":{\"keep\":{\"_\":{\"#\":\"keep\",\">\":{\"v\":" + s
          + "}},\"v\":\"safe\"}}}");
      assertEquals(1, good.replyTo("keep1").path("ok").asInt());
      for (String frame : CORPUS) {
        evil.send(frame);
      }
      evil.send("{\"#\":\"bigput\",\"put\":{\"big\":{\"_\":{\"#\":\"big\",\">\":{\"k\":" + s
          + "}},\"k\":\"v\"}}}");
      assertEquals(1, evil.replyTo("bigput").path("ok").asInt(), "a soul named big is just a soul");
      assertTrue(evil.replyTo("h11").path("err").isTextual());
      assertTrue(evil.replyTo("h2").path("err").isTextual());
      assertEquals("safe", GunWireIT.readField(good, "keep", "v").asText());
      try (WireClient fresh = new WireClient(relay.gunUrl())) {
        assertEquals("v", GunWireIT.readField(fresh, "big", "k").asText());
        assertEquals("safe", GunWireIT.readField(fresh, "keep", "v").asText());
      }
    }
  }

  @Test
  void hugeFrame_closesOnlyThatConnection_withMessageTooBig() throws Exception {
    try (WireClient bystander = new WireClient(relay.gunUrl());
        WireClient evil = new WireClient(relay.gunUrl())) {
      evil.send("{\"#\":\"huge\",\"x\":\"" + "a".repeat(MAX_FRAME * 2) + "\"}");
      CloseReason reason = evil.awaitClose(Duration.ofSeconds(10));
      assertEquals(1009, reason.getCloseCode().getCode());
      assertTrue(GunWireIT.readField(bystander, "nothing/here", "x").isMissingNode());
    }
  }

  @Test
  void deepNesting_isAnsweredWithErr_notParsedToTheBottom() throws Exception {
    try (WireClient evil = new WireClient(relay.gunUrl())) {
      evil.send("{\"#\":\"deep\",\"put\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001));
      JsonNode err = evil.await(m -> m.path("err").asText().contains("nesting"), Duration.ofSeconds(5));
      assertEquals("!", err.path("dam").asText());
      assertTrue(GunWireIT.readField(evil, "nothing/here", "x").isMissingNode());
    }
  }

  @Test
  void repeatedAbuse_closesTheOffenderWithPolicyViolation_othersKeepWorking() throws Exception {
    try (WireClient bystander = new WireClient(relay.gunUrl());
        WireClient evil = new WireClient(relay.gunUrl())) {
      for (int i = 0; i < 100 && evil.isOpen(); i++) {
        evil.send("{\"#\":\"junk" + i + "\",\"get\":7}");
      }
      CloseReason reason = evil.awaitClose(Duration.ofSeconds(10));
      assertEquals(1008, reason.getCloseCode().getCode());
      assertTrue(GunWireIT.readField(bystander, "nothing/here", "x").isMissingNode());
    }
  }

  @Test
  void getFlood_overRate_isAnsweredWithErr_andOthersAreServed() throws Exception {
    try (WireClient bystander = new WireClient(relay.gunUrl());
        WireClient flooder = new WireClient(relay.gunUrl())) {
      StringBuilder frame = new StringBuilder("[");
      for (int i = 0; i < 100; i++) {
        frame.append(i == 0 ? "" : ",").append("{\"#\":\"fl").append(i).append("\",\"get\":{\"#\":\"f\"}}");
      }
      for (int round = 0; round < 3 && flooder.isOpen(); round++) {
        flooder.send(frame.append(']').toString());
        frame.setLength(frame.length() - 1);
      }
      flooder.await(m -> m.path("err").asText().contains("per second"), Duration.ofSeconds(10));
      assertTrue(GunWireIT.readField(bystander, "nothing/here", "x").isMissingNode());
    }
  }
}
