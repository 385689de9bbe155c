package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.NodeScripts.gun;
import static io.soulgraph.relay.it.NodeScripts.httpUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code gun} 0.2020.1241 npm clients ({@code axe:false, multicast:false, radisk:false,
 * localStorage:false, rfs:false, stats:false}), each in its own Node process, against the relay.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class GunClientsIT {

  private static Relay relay;
  private static String url;

  @BeforeAll
  static void startRelay() {
    NodeScripts.dir();
    relay = Relay.start(RelayConfig.ephemeral());
    url = httpUrl(relay.gunUrl());
  }

  @AfterAll
  static void stopRelay() {
    if (relay != null) {
      relay.close();
    }
  }

  private static String soul() {
    return "clients/" + UUID.randomUUID();
  }

  @Test
  void put_thenFreshClientOnce_readsNestedNodes() throws Exception {
    String soul = soul();
    JsonNode ack = gun(url, "put", soul, "{\"name\":\"alpha\",\"num\":42,\"flag\":true,\"child\":{\"c\":3.5}}");
    assertEquals(true, ack.path("ack").path("ok").asBoolean(), ack.toString());
    JsonNode node = gun(url, "once", soul).path("value");
    assertEquals("alpha", node.path("name").asText());
    assertEquals(42, node.path("num").asInt());
    assertEquals(3.5, gun(url, "once", soul, "child", "c").path("value").asDouble());
  }

  @Test
  void once_singleField_andMissingNode() throws Exception {
    String soul = soul();
    gun(url, "put", soul, "{\"hello\":\"world\",\"n\":1}");
    assertEquals("world", gun(url, "once", soul, "hello").path("value").asText());
    assertTrue(gun(url, "once", soul()).path("missing").asBoolean());
  }

  @Test
  void on_liveUpdates_reachASubscribedClient() throws Exception {
    String soul = soul();
    gun(url, "put", soul, "{\"x\":1}");
    try (NodeScripts.Running watcher = NodeScripts.start("gun-client.js", "on", url, soul, "x", "2")) {
      assertEquals(1, watcher.line(1, Duration.ofSeconds(20)).path("value").asInt());
      gun(url, "put", soul, "{\"x\":2}");
      assertEquals(2, watcher.line(2, Duration.ofSeconds(20)).path("value").asInt());
    }
  }

  @Test
  void link_isFollowedByAFreshClient() throws Exception {
    String target = soul();
    String holder = soul();
    gun(url, "put", target, "{\"title\":\"linked\"}");
    JsonNode ack = gun(url, "link", holder, "x", target);
    assertEquals(true, ack.path("ack").path("ok").asBoolean(), ack.toString());
    assertEquals("linked", gun(url, "once", holder, "x", "title").path("value").asText());
  }

  @Test
  void setAndMap_listItemsReadBack() throws Exception {
    String list = soul();
    gun(url, "set", list, "{\"label\":\"one\"}");
    gun(url, "set", list, "{\"label\":\"two\"}");
    JsonNode items = gun(url, "map", list, "2").path("items");
    List<String> labels = List.of(items.get(0).path("label").asText(), items.get(1).path("label").asText());
    assertTrue(labels.containsAll(List.of("one", "two")), items.toString());
  }

  @Test
  void restart_berkeleyJe_dataWrittenBeforeIsReadAfter(@TempDir Path dataDir) throws Exception {
    String soul = soul();
    RelayConfig config =
        new RelayConfig("127.0.0.1", 0, StoreConfig.berkeleyJe(dataDir), List.of(), GunLimits.defaults());
    try (Relay first = Relay.start(config)) {
      JsonNode ack = gun(httpUrl(first.gunUrl()), "put", soul, "{\"kept\":\"yes\",\"child\":{\"c\":7}}");
      assertEquals(true, ack.path("ack").path("ok").asBoolean(), ack.toString());
    }
    try (Relay second = Relay.start(config)) {
      String secondUrl = httpUrl(second.gunUrl());
      assertEquals("yes", gun(secondUrl, "once", soul, "kept").path("value").asText());
      assertEquals(7, gun(secondUrl, "once", soul, "child", "c").path("value").asInt());
    }
  }
}
