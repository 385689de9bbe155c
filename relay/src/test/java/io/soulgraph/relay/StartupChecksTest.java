package io.soulgraph.relay;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gremlin.GremlinConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.p2p.Libp2pConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class StartupChecksTest {

  @TempDir Path tmp;

  private static RelayConfig config(int port, int gremlinPort, int libp2pPort) {
    return new RelayConfig(
        "127.0.0.1",
        port,
        StoreConfig.inMemory(),
        List.of(),
        GunLimits.defaults(),
        new GremlinConfig(true, "127.0.0.1", gremlinPort, Duration.ofSeconds(30)),
        new Libp2pConfig(true, libp2pPort));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String failure(RelayConfig config) {
    return assertThrows(StartupException.class, () -> StartupChecks.check(config)).getMessage();
  }

  @Test
  void samePortForTwoListeners_namesBoth() {
    assertEquals(
        "port 45123 is configured for both WebSocket/HTTP and Gremlin;"
            + " use --gremlin-port or --no-gremlin",
        failure(config(45123, 45123, 0)));
  }

  @Test
  void portInUse_namesListenerAndOption() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertEquals(
          "port " + port + " (libp2p) is in use; use --libp2p-port or --no-libp2p",
          failure(config(0, freePort(), port)));
    }
  }

  @Test
  void freePorts_pass() throws IOException {
    RelayConfig free = config(0, freePort(), 0);
    assertDoesNotThrow(() -> StartupChecks.check(free));
  }

  @Test
  void peerWithoutRelayScheme_isRefused() {
    RelayConfig config = RelayConfig.ephemeral().withPeers(List.of(URI.create("localhost:8765")));
    assertEquals(
        "--peer localhost:8765 is not a relay URL; expected ws://host:port/gun", failure(config));
  }

  @Test
  void relaySchemes_areAccepted() {
    for (String url : List.of("ws://a:1/gun", "wss://a/gun", "http://a:1/gun", "https://a/gun")) {
      assertDoesNotThrow(() -> StartupChecks.checkPeer(URI.create(url)));
    }
  }

  @Test
  void bootstrapWithoutPeerId_orNotAMultiaddr_isRefused() {
    RelayConfig noId = RelayConfig.ephemeral().withLibp2p(
        new Libp2pConfig(true, 0).withBootstrap(List.of("/ip4/127.0.0.1/tcp/4001")));
    assertEquals("Expected a --bootstrap multiaddr ending in /p2p/<peer id> but received"
        + " /ip4/127.0.0.1/tcp/4001", failure(noId));
    RelayConfig garbage = RelayConfig.ephemeral().withLibp2p(
        new Libp2pConfig(true, 0).withBootstrap(List.of("127.0.0.1:4001")));
    assertEquals(true, failure(garbage).startsWith(
        "Expected a --bootstrap multiaddr like /ip4/10.0.0.5/tcp/4001/p2p/12D3KooW"),
        failure(garbage));
  }

  @Test
  void dataDirAFile_orUnderAFile_isRefused() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertEquals(
        "data dir " + file + " is a file, not a directory; use --data-dir DIR",
        assertThrows(StartupException.class, () -> StartupChecks.checkDataDir(file))
            .getMessage());
    Path under = file.resolve("data");
    String message =
        assertThrows(StartupException.class, () -> StartupChecks.checkDataDir(under))
            .getMessage();
    assertEquals(true, message.startsWith("cannot create data dir " + under + " ("), message);
    assertEquals(true, message.endsWith("); use --data-dir DIR"), message);
  }

  @Test
  void cassandraNotListening_namesWhere() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    StoreConfig.Cql cql = new StoreConfig.Cql(List.of("127.0.0.1"), closed, "soulgraph");
    String message =
        assertThrows(StartupException.class, () -> StartupChecks.checkCqlReachable(cql))
            .getMessage();
    assertEquals(
        "cannot reach Cassandra at 127.0.0.1:" + closed + " (Connection refused);"
            + " start it, or use --cql-hosts/--cql-port (or --storage berkeleyje)",
        message);
  }
}
