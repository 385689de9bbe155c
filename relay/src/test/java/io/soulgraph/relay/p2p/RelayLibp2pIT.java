package io.soulgraph.relay.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.protocol.Identify;
import io.soulgraph.libp2p.protocol.IdentifyInfo;
import io.soulgraph.libp2p.protocol.Ping;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The relay's libp2p host, as another libp2p peer and an operator reading /info meet it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class RelayLibp2pIT {

  @TempDir Path dataDir;

  private RelayConfig config() {
    return new RelayConfig(
            "127.0.0.1", 0, StoreConfig.berkeleyJe(dataDir), List.of(), GunLimits.defaults())
        .withLibp2p(new Libp2pConfig(true, 0));
  }

  private static JsonNode info(Relay relay) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/info"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void relayHost_answersPingAndIdentifyAtTheAddressInInfo() throws Exception {
    try (Relay relay = Relay.start(config());
        Host peer = new HostBuilder().build()) {
      JsonNode libp2p = info(relay).path("libp2p");
      String peerId = libp2p.path("peerId").asText();
      assertTrue(peerId.startsWith("12D3KooW"), libp2p.toString());
      Multiaddr address = Multiaddr.fromString(libp2p.path("addresses").get(0).asText());
      assertTrue(address.toString().startsWith("/ip4/127.0.0.1/tcp/"), address.toString());
      assertTrue(address.toString().endsWith("/p2p/" + peerId), address.toString());

      Duration rtt = peer.newStream(address, Ping.binding()).get(20, TimeUnit.SECONDS)
          .ping().get(20, TimeUnit.SECONDS);
      assertTrue(rtt.compareTo(Duration.ofSeconds(5)) < 0, "ping took " + rtt);
      IdentifyInfo identify = peer.newStream(address, Identify.binding(connection -> null))
          .get(20, TimeUnit.SECONDS).info().get(20, TimeUnit.SECONDS);
      assertTrue(identify.agentVersion().startsWith("soulgraph-relay/"), identify.agentVersion());
      assertTrue(identify.protocols().containsAll(List.of(Ping.PROTOCOL_ID, Identify.PROTOCOL_ID)),
          identify.protocols().toString());
    }
  }

  @Test
  void info_showsTheNetworkAndTheConnectedPeers() throws Exception {
    try (Relay relay = Relay.start(config());
        Host peer = new HostBuilder().build()) {
      JsonNode libp2p = info(relay).path("libp2p");
      assertEquals("default", libp2p.path("network").asText(), libp2p.toString());
      assertEquals("/soulgraph/default/put/1.0.0", libp2p.path("topic").asText());
      assertEquals(0, libp2p.path("connectedPeers").size(), libp2p.toString());
      peer.dial(Multiaddr.fromString(libp2p.path("addresses").get(0).asText()))
          .get(20, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      JsonNode connected;
      do {
        connected = info(relay).path("libp2p").path("connectedPeers");
        Thread.sleep(100);
      } while (connected.size() == 0 && System.nanoTime() < deadline);
      assertEquals(peer.peerId().toString(), connected.path(0).asText(), connected.toString());
    }
  }

  @Test
  void relayHost_keepsItsPeerIdAcrossRestarts() throws Exception {
    String first;
    try (Relay relay = Relay.start(config())) {
      first = relay.libp2p().peerId();
    }
    try (Relay relay = Relay.start(config())) {
      assertEquals(first, relay.libp2p().peerId());
      assertEquals(first, info(relay).at("/libp2p/peerId").asText());
    }
  }

  @Test
  void relayWithoutLibp2p_saysSoInInfo() throws Exception {
    try (Relay relay = Relay.start(RelayConfig.ephemeral())) {
      assertTrue(info(relay).path("libp2p").isNull());
    }
  }
}
