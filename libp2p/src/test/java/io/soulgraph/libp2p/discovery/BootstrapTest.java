package io.soulgraph.libp2p.discovery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.Multiaddr;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bootstrap peers are dialed at start, retried while down, and redialed when dropped. */
@Timeout(60)
final class BootstrapTest {
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(50);
    }
  }

  private static boolean connected(Host a, Host b) {
    return a.connections().stream().anyMatch(c -> c.remotePeer().equals(b.peerId())
        && c.isOpen());
  }

  @Test
  void peerDownAtStart_isDialedOnceUp_andRedialedAfterADrop() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Identity bootId = Identity.generate();
    Multiaddr bootAddr = Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + port)
        .withPeerId(bootId.peerId());
    try (Host client = new HostBuilder().service(new Bootstrap(List.of(bootAddr),
        Duration.ofMillis(100), Duration.ofMillis(400))).build()) {
      Thread.sleep(500); // a few failed dials while the bootstrap peer is down
      try (Host boot = new HostBuilder().identity(bootId).listen("/ip4/127.0.0.1/tcp/" + port)
          .build()) {
        await(() -> connected(client, boot), "client never reached the bootstrap peer");
        for (Connection c : boot.connections()) {
          c.close(); // the bootstrap peer hangs up
        }
        await(() -> !boot.connections().isEmpty() && connected(client, boot),
            "client did not redial after the drop");
      }
    }
  }

  @Test
  void addressWithoutPeerId_isRefused() {
    try {
      new Bootstrap(List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/1")));
      throw new AssertionError("accepted a bootstrap address without /p2p/");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains("/p2p/"), e.getMessage());
    }
  }
}
