package io.soulgraph.libp2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class GossipReachesPeersTest {

  private final List<Host> hosts = new ArrayList<>();

  @AfterEach
  void stop() {
    hosts.forEach(Host::close);
  }

  private Host start(Gossip gossip) {
    Host host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").service(gossip).build();
    hosts.add(host);
    return host;
  }

  @Test
  void reachesPeers_onlyWhileAConnectionIsOpen_andAPublishWithoutOneReachesNoOne()
      throws Exception {
    Gossip alone = new Gossip(GossipConfig.defaults());
    assertFalse(alone.reachesPeers(), "not started");
    Host host = start(alone);
    assertFalse(alone.reachesPeers(), "started, no connection");
    assertEquals(0, alone.publish("t", "x".getBytes(StandardCharsets.UTF_8))
        .get(5, TimeUnit.SECONDS));

    Host other = start(new Gossip(GossipConfig.defaults()));
    host.dial(other.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
    assertTrue(alone.reachesPeers(), "connected to a peer");

    other.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (alone.reachesPeers() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(alone.reachesPeers(), "its only peer gone");
  }
}
