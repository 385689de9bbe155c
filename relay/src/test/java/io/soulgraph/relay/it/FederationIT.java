package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.NodeScripts.gun;
import static io.soulgraph.relay.it.NodeScripts.httpUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays federating over WebSocket ({@code --peer}): two Soulgraph relays, a ring of three, and
 * Soulgraph with GunDB's own Node relay (gun 0.2020.1241, {@code axe:false}, RAD in a temp dir).
 * Reads go through real gun clients on the other side.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class FederationIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static String soul() {
    return "fed/" + UUID.randomUUID();
  }

  private static RelayConfig dialing(URI... peers) {
    return RelayConfig.ephemeral().withPeers(List.of(peers));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Not within " + PATIENCE + ": " + what);
      }
      Thread.sleep(100);
    }
  }

  /** Reads soul.key with fresh gun clients until it has the value (federation is async). */
  private static void awaitValue(String url, String soul, String key, String expected)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonNode last;
    do {
      last = gun(url, "once", soul, key);
      if (expected.equals(last.path("value").asText(null))) {
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    fail("Expected " + soul + "." + key + " = " + expected + " at " + url + " but read " + last);
  }

  private static void write(String url, String soul, String key, String value) throws Exception {
    JsonNode ack = gun(url, "put", soul, "{\"" + key + "\":\"" + value + "\"}");
    assertEquals(true, ack.path("ack").path("ok").asBoolean(), ack.toString());
  }

  @Test
  void twoSoulgraphRelays_writeOnEitherSide_isReadOnTheOther() throws Exception {
    NodeScripts.dir();
    try (Relay b = Relay.start(RelayConfig.ephemeral());
        Relay a = Relay.start(dialing(b.gunUrl()))) {
      await("A connects to B", () -> a.connectedPeers() == 1);
      String urlA = httpUrl(a.gunUrl());
      String urlB = httpUrl(b.gunUrl());
      String one = soul();
      write(urlA, one, "k", "from-a");
      awaitValue(urlB, one, "k", "from-a");
      String two = soul();
      write(urlB, two, "k", "from-b");
      awaitValue(urlA, two, "k", "from-b");
    }
  }

  @Test
  void peerRestart_dialerReconnects_andDataFlowsAgain() throws Exception {
    NodeScripts.dir();
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    RelayConfig bConfig =
        new RelayConfig(
            "127.0.0.1",
            port,
            RelayConfig.ephemeral().storage(),
            List.of(),
            RelayConfig.ephemeral().limits());
    URI bUrl = URI.create("ws://127.0.0.1:" + port + "/gun");
    try (Relay a = Relay.start(dialing(bUrl))) {
      try (Relay b = Relay.start(bConfig)) {
        await("A connects to B", () -> a.connectedPeers() == 1);
      }
      await("A notices B is gone", () -> a.connectedPeers() == 0);
      try (Relay b = Relay.start(bConfig)) {
        await("A reconnects to B", () -> a.connectedPeers() == 1);
        String soul = soul();
        write(httpUrl(a.gunUrl()), soul, "k", "again");
        awaitValue(httpUrl(b.gunUrl()), soul, "k", "again");
      }
    }
  }

  @Test
  void ringOfThree_writeReachesAll_andMessagesStopFlowing() throws Exception {
    NodeScripts.dir();
    int portC;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      portC = probe.getLocalPort();
    }
    URI cUrl = URI.create("ws://127.0.0.1:" + portC + "/gun");
    try (Relay a = Relay.start(dialing(cUrl));
        Relay b = Relay.start(dialing(a.gunUrl()));
        Relay c =
            Relay.start(
                new RelayConfig(
                    "127.0.0.1",
                    portC,
                    RelayConfig.ephemeral().storage(),
                    List.of(b.gunUrl()),
                    RelayConfig.ephemeral().limits()))) {
      await(
          "ring connected",
          () -> a.connectedPeers() + b.connectedPeers() + c.connectedPeers() == 3);
      String soul = soul();
      write(httpUrl(a.gunUrl()), soul, "k", "around");
      awaitValue(httpUrl(b.gunUrl()), soul, "k", "around");
      awaitValue(httpUrl(c.gunUrl()), soul, "k", "around");
      Thread.sleep(1000);
      double before =
          a.metrics().messagesIn() + b.metrics().messagesIn() + c.metrics().messagesIn();
      Thread.sleep(2000);
      double after = a.metrics().messagesIn() + b.metrics().messagesIn() + c.metrics().messagesIn();
      assertTrue(after - before < 5, "messages still circulating: " + (after - before) + " in 2 s");
    }
  }

  @Test
  void soulgraphAndGunDbRelay_writeOnEitherSide_isReadOnTheOther(@TempDir Path radata)
      throws Exception {
    try (NodeScripts.Running gunRelay = NodeScripts.start("gun-relay.js", "0", radata.toString())) {
      int gunPort = gunRelay.line(1, PATIENCE).path("port").asInt();
      URI gunDb = URI.create("ws://127.0.0.1:" + gunPort + "/gun");
      try (Relay soulgraph = Relay.start(dialing(gunDb))) {
        await("Soulgraph connects to GunDB", () -> soulgraph.connectedPeers() == 1);
        String urlS = httpUrl(soulgraph.gunUrl());
        String urlG = "http://127.0.0.1:" + gunPort + "/gun";
        String one = soul();
        write(urlS, one, "k", "from-soulgraph");
        awaitValue(urlG, one, "k", "from-soulgraph");
        String two = soul();
        write(urlG, two, "k", "from-gundb");
        awaitValue(urlS, two, "k", "from-gundb");
      }
    }
  }

  @Test
  void gunDbRelayDialingSoulgraph_writeOnEitherSide_isReadOnTheOther(@TempDir Path radata)
      throws Exception {
    try (Relay soulgraph = Relay.start(RelayConfig.ephemeral());
        NodeScripts.Running gunRelay =
            NodeScripts.start(
                "gun-relay.js", "0", radata.toString(), httpUrl(soulgraph.gunUrl()))) {
      int gunPort = gunRelay.line(1, PATIENCE).path("port").asInt();
      String urlS = httpUrl(soulgraph.gunUrl());
      String urlG = "http://127.0.0.1:" + gunPort + "/gun";
      String one = soul();
      write(urlG, one, "k", "from-gundb");
      awaitValue(urlS, one, "k", "from-gundb");
      String two = soul();
      write(urlS, two, "k", "from-soulgraph");
      awaitValue(urlG, two, "k", "from-soulgraph");
    }
  }
}
