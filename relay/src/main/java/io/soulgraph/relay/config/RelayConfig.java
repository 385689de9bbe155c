package io.soulgraph.relay.config;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.gremlin.GremlinConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.p2p.Libp2pConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a relay needs to start, built once by the CLI (or a test) and passed down.
 *
 * @param host the interface to listen on
 * @param port the port (0: any free port)
 * @param storage the store to open (backend and data directory)
 * @param peers relays to dial and keep dialing ({@code ws://host:port/gun})
 * @param limits the per-connection bounds
 * @param gremlin the embedded Gremlin Server
 * @param libp2p the libp2p host
 */
public record RelayConfig(
    String host,
    int port,
    StoreConfig storage,
    List<URI> peers,
    GunLimits limits,
    GremlinConfig gremlin,
    Libp2pConfig libp2p) {

  public RelayConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(gremlin, "gremlin");
    Objects.requireNonNull(libp2p, "libp2p");
    peers = List.copyOf(peers);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Expected a port in 0..65535 but received " + port);
    }
  }

  /** A relay without Gremlin and libp2p (tests, and embedders that need neither). */
  public RelayConfig(
      String host, int port, StoreConfig storage, List<URI> peers, GunLimits limits) {
    this(host, port, storage, peers, limits, GremlinConfig.disabled(), Libp2pConfig.disabled());
  }

  /** An ephemeral in-memory relay on 127.0.0.1 and a free port, default limits (tests). */
  public static RelayConfig ephemeral() {
    return new RelayConfig("127.0.0.1", 0, StoreConfig.inMemory(), List.of(), GunLimits.defaults());
  }

  /** This configuration with other peers to dial. */
  public RelayConfig withPeers(List<URI> otherPeers) {
    return new RelayConfig(host, port, storage, otherPeers, limits, gremlin, libp2p);
  }

  /** This configuration with other limits. */
  public RelayConfig withLimits(GunLimits otherLimits) {
    return new RelayConfig(host, port, storage, peers, otherLimits, gremlin, libp2p);
  }

  /** This configuration with another Gremlin Server setting. */
  public RelayConfig withGremlin(GremlinConfig otherGremlin) {
    return new RelayConfig(host, port, storage, peers, limits, otherGremlin, libp2p);
  }

  /** This configuration with another libp2p setting. */
  public RelayConfig withLibp2p(Libp2pConfig otherLibp2p) {
    return new RelayConfig(host, port, storage, peers, limits, gremlin, otherLibp2p);
  }

  /** The data directory, or null for an in-memory store. */
  public Path dataDir() {
    return storage.dataDir();
  }
}
