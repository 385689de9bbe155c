package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.Libp2pFederationIT.await;
import static io.soulgraph.relay.it.Libp2pFederationIT.awaitValue;
import static io.soulgraph.relay.it.Libp2pFederationIT.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.pubsub.Gossip;
import io.soulgraph.libp2p.pubsub.GossipConfig;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.p2p.Libp2pConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile native peer gets what a hostile WebSocket client gets: malformed gossip is rejected
 * (and not stored or forwarded), well-formed puts over the relay's limits cost strikes, and when
 * they run out the relay closes the peer's libp2p connection and ignores its messages for a
 * while; a real {@code gun} client on the relay works throughout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class HostileNativePeerIT {

  private static final String TOPIC = Libp2pConfig.topic("default");

  private static RelayConfig strictRelay() {
    GunLimits d = GunLimits.defaults();
    GunLimits.Memory m = d.memory();
    GunLimits strict = new GunLimits(d.maxFrameBytes(), d.maxDepth(), d.maxMessagesPerFrame(),
        d.messagesPerSecond(), d.maxInFlightPuts(), d.maxOutboundFrames(), 3,
        d.maxConnections(), d.maxSubscriptions(), d.dedupWindow(),
        new GunLimits.Memory(m.maxPutBytes(), 5, m.maxInFlightBytes(), m.maxOutboundBytes(),
            m.maxIdLength(), m.maxSubscriptionBytes(), m.messageLogBytes()));
    return new RelayConfig("127.0.0.1", 0, StoreConfig.inMemory(), List.of(), strict)
        .withLibp2p(new Libp2pConfig(true, 0));
  }

  private static String put(String soul, int fields) {
    StringBuilder states = new StringBuilder();
    StringBuilder values = new StringBuilder();
    long now = System.currentTimeMillis();
    for (int i = 0; i < fields; i++) {
      states.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(now);
      values.append(",\"f").append(i).append("\":\"v").append(i).append('"');
    }
    return "{\"#\":\"" + UUID.randomUUID() + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul
        + "\",\">\":{" + states + "}}" + values + "}}}";
  }

  private static boolean connected(Host host, String relayPeer) {
    return host.connections().stream()
        .anyMatch(c -> c.isOpen() && c.remotePeer().toString().equals(relayPeer));
  }

  @Test
  void hostilePeer_isRejectedStruckAndCutOff_whileAGunClientWorks() throws Exception {
    NodeScripts.dir();
    Gossip gossip = new Gossip(GossipConfig.defaults());
    try (Relay relay = Relay.start(strictRelay());
        Host hostile = new HostBuilder().service(gossip).build()) {
      String relayPeer = relay.libp2p().peerId();
      Multiaddr relayAddress = Multiaddr.fromString(relay.libp2p().addresses().get(0));
      gossip.subscribe(TOPIC, m -> { });
      hostile.dial(relayAddress).get(20, TimeUnit.SECONDS);
      await("the relay is a topic peer",
          () -> gossip.topicPeers(TOPIC).contains(PeerId.fromBase58(relayPeer)));

      String good = "hostile/" + UUID.randomUUID();
      gossip.publish(TOPIC, put(good, 2).getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      await("a well-formed put within the limits is stored",
          () -> relay.store().node(good).isPresent());

      for (String garbage : List.of("{", "[]", "{\"get\":{\"#\":\"x\"}}", "\u0000\u0001")) {
        gossip.publish(TOPIC, garbage.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      }
      await("four malformed messages rejected",
          () -> relay.metrics().scrape().contains(
              "soulgraph_gossip_messages_in_total{outcome=\"rejected\"} 4.0"));
      assertTrue(connected(hostile, relayPeer), "malformed gossip alone costs no connection");

      String tooWide = "hostile/wide/" + UUID.randomUUID();
      for (int i = 0; i < 3; i++) {
        gossip.publish(TOPIC, put(tooWide, 6).getBytes(StandardCharsets.UTF_8))
            .get(10, TimeUnit.SECONDS);
      }
      await("the relay cuts the peer off after its third strike",
          () -> !connected(hostile, relayPeer));
      assertEquals(Optional.empty(), relay.store().node(tooWide));

      hostile.dial(relayAddress).get(20, TimeUnit.SECONDS);
      await("the relay is a topic peer again",
          () -> gossip.topicPeers(TOPIC).contains(PeerId.fromBase58(relayPeer)));
      String afterBan = "hostile/after/" + UUID.randomUUID();
      for (int i = 0; i < 10; i++) {
        gossip.publish(TOPIC, put(afterBan, 1).getBytes(StandardCharsets.UTF_8));
        Thread.sleep(200);
      }
      assertEquals(Optional.empty(), relay.store().node(afterBan),
          "a cut-off peer's puts are refused for a while");
      assertTrue(relay.metrics().scrape().lines().anyMatch(line -> line.startsWith(
          "soulgraph_gossip_messages_in_total{outcome=\"rejected\"}")
          && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) > 4),
          "the refused puts arrived and were rejected");

      String soul = "gun/" + UUID.randomUUID();
      write(relay, soul, "{\"k\":\"still fine\"}");
      awaitValue(relay, soul, "k", "still fine");
    }
  }
}
