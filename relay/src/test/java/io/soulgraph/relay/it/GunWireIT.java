package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.WireClient.repliesTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunFrames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wire checklist (docs/gun-protocol.md §11) frame by frame, mirroring the raw experiments of
 * {@code 05-raw-client-wire-experiments.txt} against a relay on the real (in-memory) store.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class GunWireIT {

  private static final Duration QUIET = Duration.ofMillis(700);
  private static Relay relay;

  @BeforeAll
  static void startRelay() {
    relay = Relay.start(RelayConfig.ephemeral());
  }

  @AfterAll
  static void stopRelay() {
    relay.close();
  }

  private static WireClient connect() throws Exception {
    return new WireClient(relay.gunUrl());
  }

  private static String soul() {
    return "wire/" + UUID.randomUUID();
  }

  private static String put(String id, String soul, double state, String field, String value) {
    return GunFrames.put(id, soul, state, field, value);
  }

  private static String state(double state) {
    return io.soulgraph.ham.JsJson.number(state);
  }

  private static String id(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void connect_relayGreets_andAnswersOurHandshake() throws Exception {
    try (WireClient c = connect()) {
      JsonNode hello = c.await(m -> "?".equals(m.path("dam").asText()), Duration.ofSeconds(5));
      assertFalse(hello.has("@"));
      assertTrue(hello.path("pid").isTextual());
      String id = id("myhello");
      c.send("{\"#\":\"" + id + "\",\"dam\":\"?\",\"pid\":\"javarelay1\"}");
      JsonNode answer = c.replyTo(id);
      assertEquals("?", answer.path("dam").asText());
      assertEquals(hello.path("pid"), answer.path("pid"));
    }
  }

  @Test
  void get_wholeNodeFieldMissingSoulMissingField_answersEachShape() throws Exception {
    String soul = soul();
    double s = System.currentTimeMillis() - 1000;
    try (WireClient c = connect()) {
      String putId = id("put");
      c.send(GunFrames.put(putId, soul, s, Map.of("hello", "\"world\"", "n", "1")));
      assertEquals(1, c.replyTo(putId).path("ok").asInt());
      String g1 = id("g1"), g2 = id("g2"), g3 = id("g3"), g4 = id("g4");
      c.send("{\"#\":\"" + g1 + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      c.send("{\"#\":\"" + g2 + "\",\"get\":{\"#\":\"" + soul + "\",\".\":\"hello\"}}");
      c.send("{\"#\":\"" + g3 + "\",\"get\":{\"#\":\"" + soul() + "\"}}");
      c.send("{\"#\":\"" + g4 + "\",\"get\":{\"#\":\"" + soul + "\",\".\":\"nokey\"}}");
      JsonNode whole = c.replyTo(g1).path("put").path(soul);
      assertEquals("world", whole.path("hello").asText());
      assertEquals(1, whole.path("n").asInt());
      assertEquals(s, whole.path("_").path(">").path("n").asDouble());
      JsonNode single = c.replyTo(g2).path("put").path(soul);
      assertEquals("world", single.path("hello").asText());
      assertFalse(single.has("n"), "a '.' get returns only that field: " + single);
      assertFalse(c.replyTo(g3).has("put"));
      assertFalse(c.replyTo(g4).has("put"));
    }
  }

  @Test
  void get_found_carriesGunDbsHashOfThePut() throws Exception {
    try (WireClient c = connect()) {
      c.send(put("hashput", "rawnode", 1795287911420.0, "hello", "\"world\""));
      c.replyTo("hashput");
      c.send("{\"#\":\"hashget\",\"get\":{\"#\":\"rawnode\",\".\":\"hello\"}}");
      assertEquals(-1772828120, c.replyTo("hashget").path("##").asInt(), "as captured from GunDB");
    }
  }

  @Test
  void frame_arrayOfGets_answersBoth_andRepeatedIdsAreDroppedOnEveryConnection() throws Exception {
    String soul = soul();
    String b1 = id("b1"), b2 = id("b2");
    try (WireClient c = connect();
        WireClient other = connect()) {
      c.send(
          "[{\"#\":\""
              + b1
              + "\",\"get\":{\"#\":\""
              + soul
              + "\"}},{\"#\":\""
              + b2
              + "\",\"get\":{\"#\":\""
              + soul
              + "\",\".\":\"x\"}}]");
      c.replyTo(b1);
      c.replyTo(b2);
      c.send("{\"#\":\"" + b1 + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      other.send("{\"#\":\"" + b2 + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      assertEquals(1, c.allAfter(repliesTo(b1), QUIET).size());
      assertEquals(List.of(), other.allAfter(repliesTo(b2), Duration.ZERO));
    }
  }

  @Test
  void get_withoutId_isAnsweredUnderAnIdTheRelayInvents() throws Exception {
    try (WireClient c = connect()) {
      c.send("{\"get\":{\"#\":\"" + soul() + "\"}}");
      JsonNode answer = c.await(m -> m.has("@") && !m.has("dam"), Duration.ofSeconds(5));
      assertTrue(answer.path("@").asText().length() > 0);
    }
  }

  @Test
  void put_acceptedChange_isPushedToSubscribers_andRepliesGoOnlyToTheAsker() throws Exception {
    String soul = soul();
    try (WireClient writer = connect();
        WireClient reader = connect()) {
      String sub = id("sub");
      reader.send("{\"#\":\"" + sub + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      assertFalse(reader.replyTo(sub).has("put"));
      String putId = id("put1");
      writer.send(put(putId, soul, System.currentTimeMillis() - 1, "hello", "\"world\""));
      assertEquals(1, writer.replyTo(putId).path("ok").asInt());
      JsonNode pushed =
          reader.await(
              m -> m.has("put") && !m.has("@") && m.path("put").has(soul), Duration.ofSeconds(5));
      assertEquals("world", pushed.path("put").path(soul).path("hello").asText());
      assertEquals(List.of(), writer.allAfter(repliesTo(sub), QUIET));
      assertEquals(List.of(), reader.allAfter(repliesTo(putId), Duration.ZERO));
    }
  }

  @Test
  void put_hamCases_olderAndSmallerTieIgnored_greaterTieWinsAndIsPushed() throws Exception {
    String soul = soul();
    double s = System.currentTimeMillis() - 5000;
    try (WireClient r1 = connect();
        WireClient r2 = connect()) {
      String first = id("p");
      r1.send(put(first, soul, s, "hello", "\"world\""));
      r1.replyTo(first);
      String sub = id("sub");
      r2.send("{\"#\":\"" + sub + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      r2.replyTo(sub);
      String old = id("ham-old"), small = id("ham-eq-small"), big = id("ham-eq-big");
      r1.send(put(old, soul, s - 1000, "hello", "\"older\""));
      r1.send(put(small, soul, s, "hello", "\"aaa\""));
      assertEquals(List.of(), r1.allAfter(repliesTo(old).or(repliesTo(small)), QUIET));
      assertEquals("world", readField(r1, soul, "hello").asText());
      r1.send(put(big, soul, s, "hello", "\"zzz\""));
      assertEquals(1, r1.replyTo(big).path("ok").asInt());
      r2.await(
          m -> "zzz".equals(m.path("put").path(soul).path("hello").asText()),
          Duration.ofSeconds(5));
      assertEquals("zzz", readField(r1, soul, "hello").asText());
    }
  }

  @Test
  void put_invalidGraphsAndNonNumericStates_getErr_andStoreNothing() throws Exception {
    String soul = soul();
    long s = System.currentTimeMillis() - 1000;
    String head = "\":{\"_\":{\"#\":\"";
    List<String> bad =
        List.of(
            "{\"" + soul + head + soul + "\",\">\":{}},\"q\":1}}",
            "{\"" + soul + head + soul + "\",\">\":{\"q\":" + s + "}},\"q\":[1,2]}}",
            "{\"" + soul + head + "other\",\">\":{\"q\":" + s + "}},\"q\":1}}",
            "{\"" + soul + head + soul + "\",\">\":{\"q\":\"" + s + "\"}},\"q\":1}}",
            "{\"" + soul + head + soul + "\",\">\":{\"q\":" + s + "}},\"q\":{\"a\":1}}}",
            "{\"" + soul + "\":{\"q\":1}}",
            "{\"" + soul + "\":5}");
    try (WireClient c = connect()) {
      for (String graph : bad) {
        String putId = id("bad");
        c.send("{\"#\":\"" + putId + "\",\"put\":" + graph + "}");
        JsonNode answer = c.replyTo(putId);
        assertTrue(answer.path("err").isTextual(), graph + " -> " + answer);
        assertFalse(answer.has("ok"));
      }
      String g = id("g");
      c.send("{\"#\":\"" + g + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      assertFalse(c.replyTo(g).has("put"));
    }
  }

  @Test
  void put_futureState_isDeferred_thenAppliedAndPushedWithoutAck() throws Exception {
    String soul = soul();
    double future = System.currentTimeMillis() + 2500;
    try (WireClient c = connect()) {
      String sub = id("sub");
      c.send("{\"#\":\"" + sub + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      c.replyTo(sub);
      String fut = id("fut");
      c.send(put(fut, soul, future, "fut", "\"later\""));
      String early = id("gfut-a");
      c.send("{\"#\":\"" + early + "\",\"get\":{\"#\":\"" + soul + "\",\".\":\"fut\"}}");
      assertFalse(c.replyTo(early).has("put"), "invisible before its time");
      c.await(
          m -> "later".equals(m.path("put").path(soul).path("fut").asText()),
          Duration.ofSeconds(10));
      assertEquals("later", readField(c, soul, "fut").asText());
      assertEquals(List.of(), c.allAfter(repliesTo(fut), Duration.ZERO));
    }
  }

  @Test
  void put_linkAndTombstone_comeBackAsStored() throws Exception {
    String soul = soul();
    long s = System.currentTimeMillis() - 1000;
    try (WireClient c = connect()) {
      String putId = id("put2");
      c.send(GunFrames.put(
          putId, soul, s, Map.of("link", "{\"#\":\"other/node\"}", "n", "null")));
      c.replyTo(putId);
      String g = id("g6");
      c.send("{\"#\":\"" + g + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      JsonNode node = c.replyTo(g).path("put").path(soul);
      assertEquals("other/node", node.path("link").path("#").asText());
      assertTrue(node.has("n") && node.get("n").isNull(), node.toString());
    }
  }

  @Test
  void get_forSoulOnlyAPeerHas_isForwarded_andTheAnswerRoutedAndStored() throws Exception {
    String soul = soul();
    long s = System.currentTimeMillis() - 1000;
    try (WireClient asker = connect();
        WireClient holder = connect()) {
      holder.await(m -> "?".equals(m.path("dam").asText()), Duration.ofSeconds(5));
      String g = id("fwd");
      asker.send("{\"#\":\"" + g + "\",\"get\":{\"#\":\"" + soul + "\",\".\":\"answer\"}}");
      JsonNode forwarded = holder.await(m -> g.equals(m.path("#").asText()), Duration.ofSeconds(5));
      assertEquals(soul, forwarded.path("get").path("#").asText());
      holder.send(
          "{\"#\":\""
              + id("ans")
              + "\",\"@\":\""
              + g
              + "\",\"put\":{\""
              + soul
              + "\":{\"_\":{\"#\":\""
              + soul
              + "\",\">\":{\"answer\":"
              + s
              + "}},\"answer\":\"from J\"}}}");
      asker.await(m -> g.equals(m.path("@").asText()) && m.has("put"), Duration.ofSeconds(5));
      try (WireClient third = connect()) {
        assertEquals("from J", eventually(third, soul, "answer").asText(), "stored");
      }
    }
  }

  @Test
  void dam_unknownValue_getsErr_andConnectionStaysUsable() throws Exception {
    try (WireClient c = connect()) {
      String d = id("dam");
      c.send("{\"#\":\"" + d + "\",\"dam\":\"zzz\"}");
      assertTrue(c.replyTo(d).path("err").isTextual());
      c.send("{\"#\":\"" + id("hi") + "\",\"dam\":\"hi\"}");
      assertTrue(readField(c, soul(), "x").isMissingNode(), "still answered after the err");
      assertTrue(c.isOpen());
    }
  }

  /** Reads one field until it is there (or 10 s passed): for writes that are not ours. */
  static JsonNode eventually(WireClient c, String soul, String field) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode value = readField(c, soul, field);
    while (value.isMissingNode() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      value = readField(c, soul, field);
    }
    return value;
  }

  /** Reads one field with a fresh get; a missing node reads as a missing node. */
  static JsonNode readField(WireClient c, String soul, String field) throws Exception {
    String g = id("read");
    c.send("{\"#\":\"" + g + "\",\"get\":{\"#\":\"" + soul + "\",\".\":\"" + field + "\"}}");
    return c.replyTo(g).path("put").path(soul).path(field);
  }
}
