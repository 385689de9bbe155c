package io.soulgraph.relay.config;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.gun.GunLimits;
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
 */
public record RelayConfig(
    String host, int port, StoreConfig storage, List<URI> peers, GunLimits limits) {

  public RelayConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(limits, "limits");
    peers = List.copyOf(peers);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Expected a port in 0..65535 but received " + port);
    }
  }

  /** An ephemeral in-memory relay on 127.0.0.1 and a free port, default limits (tests). */
  public static RelayConfig ephemeral() {
    return new RelayConfig("127.0.0.1", 0, StoreConfig.inMemory(), List.of(), GunLimits.defaults());
  }

  /** This configuration with other peers to dial. */
  public RelayConfig withPeers(List<URI> otherPeers) {
    return new RelayConfig(host, port, storage, otherPeers, limits);
  }

  /** This configuration with other limits. */
  public RelayConfig withLimits(GunLimits otherLimits) {
    return new RelayConfig(host, port, storage, peers, otherLimits);
  }

  /** The data directory, or null for an in-memory store. */
  public Path dataDir() {
    return storage.dataDir();
  }
}
