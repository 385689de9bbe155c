package io.soulgraph.relay.gun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link GunProtocol} driven directly, on the real in-memory store, peers without sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class GunProtocolTest {

  private static SoulStore store;
  private static GunProtocol protocol;
  private static int souls;

  @BeforeAll
  static void open() {
    store = SoulStores.open(StoreConfig.inMemory());
    protocol = new GunProtocol(store, GunLimits.defaults(), new RelayMetrics(), "testpid");
  }

  @AfterAll
  static void close() throws Exception {
    protocol.close();
    store.close();
  }

  private static RecordingPeer connect(String name, boolean relay) {
    RecordingPeer peer = new RecordingPeer(name, relay);
    assertTrue(protocol.open(peer));
    return peer;
  }

  private static synchronized String soul() {
    return "proto/" + System.nanoTime() + "/" + souls++;
  }

  private static String put(String id, String soul, String field, String value) {
    return GunFrames.put(id, soul, System.currentTimeMillis() - 1000, field, value);
  }

  private static Predicate<JsonNode> pushOf(String soul) {
    return m -> m.has("put") && !m.has("@") && m.path("put").has(soul);
  }

  @Test
  void open_greetsWithDamQuestionAndPid() throws Exception {
    RecordingPeer peer = connect("greeted", false);
    JsonNode hello = peer.await(m -> m.has("dam"));
    assertEquals("?", hello.path("dam").asText());
    assertEquals("testpid", hello.path("pid").asText());
    protocol.close(peer);
  }

  @Test
  void put_isPushedToSubscribers_notEchoedToWriter_andAckedToWriterOnly() throws Exception {
    String soul = soul();
    RecordingPeer writer = connect("writer", false);
    RecordingPeer reader = connect("reader", false);
    protocol.receive(writer, "{\"#\":\"wsub\",\"get\":{\"#\":\"" + soul + "\"}}");
    protocol.receive(reader, "{\"#\":\"rsub\",\"get\":{\"#\":\"" + soul + "\",\".\":\"x\"}}");
    protocol.receive(writer, put("wput", soul, "x", "1"));
    assertEquals(1, writer.await(m -> "wput".equals(m.path("@").asText())).path("ok").asInt());
    assertEquals(1, reader.await(pushOf(soul)).path("put").path(soul).path("x").asInt());
    assertEquals(List.of(), writer.matching(pushOf(soul)), "the writer has it already");
    assertEquals(List.of(), reader.matching(m -> "wput".equals(m.path("@").asText())));
    protocol.close(writer);
    protocol.close(reader);
  }

  @Test
  void put_isFloodedToDialedRelays_andGetsAreForwardedToThem() throws Exception {
    String soul = soul();
    RecordingPeer relay = connect("relay", true);
    RecordingPeer client = connect("client", false);
    protocol.receive(client, put("cput", soul, "k", "\"v\""));
    relay.await(pushOf(soul));
    protocol.receive(client, "{\"#\":\"cget\",\"get\":{\"#\":\"" + soul + "\"}}");
    client.await(m -> "cget".equals(m.path("@").asText()) && m.has("put"));
    relay.await(m -> "cget".equals(m.path("#").asText()) && m.has("get"));
    protocol.close(relay);
    protocol.close(client);
  }

  @Test
  void answerFromPeer_isRoutedOnlyToAsker_andStored() throws Exception {
    String soul = soul();
    RecordingPeer asker = connect("asker", false);
    RecordingPeer holder = connect("holder", false);
    RecordingPeer bystander = connect("bystander", false);
    protocol.receive(asker, "{\"#\":\"aget\",\"get\":{\"#\":\"" + soul + "\"}}");
    holder.await(m -> "aget".equals(m.path("#").asText()));
    String answer =
        put("hans", soul, "k", "\"held\"")
            .replace("{\"#\":\"hans\",", "{\"#\":\"hans\",\"@\":\"aget\",");
    protocol.receive(holder, answer);
    asker.await(m -> "aget".equals(m.path("@").asText()) && m.has("put"));
    assertEquals(List.of(), bystander.matching(m -> "aget".equals(m.path("@").asText())));
    assertEquals(
        List.of(), holder.matching(m -> "hans".equals(m.path("@").asText())), "no ack for answers");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.field(soul, "k").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("\"held\"", store.field(soul, "k").orElseThrow().value().json());
    protocol.close(asker);
    protocol.close(holder);
    protocol.close(bystander);
  }

  @Test
  void receive_afterExpulsion_handlesNothing() throws Exception {
    RecordingPeer evil = connect("evil", false);
    for (int i = 0; i < GunLimits.defaults().maxStrikes(); i++) {
      protocol.receive(evil, "{\"#\":\"bad" + i + "\",\"get\":5}");
    }
    assertEquals(CloseCodes.POLICY_VIOLATION, evil.closeCode());
    protocol.receive(evil, "{\"#\":\"late\",\"get\":{\"#\":\"x\"}}");
    assertFalse(evil.matching(m -> "late".equals(m.path("@").asText())).size() > 0);
    protocol.close(evil);
  }

  @Test
  void open_relayPeer_isAskedForEverySubscribedSoul() throws Exception {
    String soul = soul();
    RecordingPeer client = connect("subscriber", false);
    protocol.receive(client, "{\"#\":\"csub\",\"get\":{\"#\":\"" + soul + "\"}}");
    RecordingPeer relay = connect("late-relay", true);
    JsonNode get = relay.await(m -> soul.equals(m.path("get").path("#").asText()));
    long s = System.currentTimeMillis() - 1000;
    String answer =
        "{\"#\":\"rans\",\"@\":\"" + get.path("#").asText() + "\",\"put\":{\"" + soul
            + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"k\":" + s + "}},\"k\":\"remote\"}}}";
    protocol.receive(relay, answer);
    assertEquals("remote", client.await(pushOf(soul)).path("put").path(soul).path("k").asText());
    protocol.close(client);
    protocol.close(relay);
  }
}
