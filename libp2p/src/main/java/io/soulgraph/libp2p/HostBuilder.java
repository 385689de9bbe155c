package io.soulgraph.libp2p;

import io.soulgraph.libp2p.internal.host.HostImpl;
import io.soulgraph.libp2p.protocol.Identify;
import io.soulgraph.libp2p.protocol.IdentifyInfo;
import io.soulgraph.libp2p.protocol.Ping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and starts a {@link Host}; the module's entry point.
 *
 * <pre>{@code
 * Host host = new HostBuilder()
 *     .identityFile(dataDir.resolve("libp2p-identity.key"))
 *     .listen("/ip4/0.0.0.0/tcp/4001")
 *     .protocol(mySyncBinding)
 *     .build();
 * log.info("libp2p {} on {}", host.peerId(), host.listenAddresses());
 * }</pre>
 *
 * Identify ({@code /ipfs/id/1.0.0}) and ping ({@code /ipfs/ping/1.0.0}) are always bound.
 */
public final class HostBuilder {
  /** The agent version we announce unless told otherwise. */
  public static final String DEFAULT_AGENT = "soulgraph/0.1.0";

  private Identity identity;
  private final List<Multiaddr> listen = new ArrayList<>();
  private final List<ProtocolBinding<?>> protocols = new ArrayList<>();
  private final List<HostService> services = new ArrayList<>();
  private String agentVersion = DEFAULT_AGENT;
  private Duration handshakeTimeout = Duration.ofSeconds(10);
  private int maxStreamsPerConnection = 256;
  private int maxConnections = 1024;
  private boolean earlyMuxerNegotiation = true;
  private int ioThreads = 2;

  /** Uses this identity; without one (and without a file) a random identity is generated. */
  public HostBuilder identity(Identity id) {
    this.identity = id;
    return this;
  }

  /** Loads the identity key from {@code file}, creating it on first use (same peer id forever). */
  public HostBuilder identityFile(Path file) {
    this.identity = Identity.loadOrCreate(file);
    return this;
  }

  /** Adds a TCP listen address such as {@code /ip4/127.0.0.1/tcp/0} (port 0: any free port). */
  public HostBuilder listen(String multiaddr) {
    Multiaddr ma = Multiaddr.fromString(multiaddr);
    ma.toSocketAddress(); // fail here, not at start, if it has no host or port
    listen.add(ma);
    return this;
  }

  public HostBuilder protocol(ProtocolBinding<?> binding) {
    protocols.add(binding);
    return this;
  }

  /**
   * Adds a service (pubsub, discovery): its protocols are bound with the others, it starts after
   * the host listens, in the order added, and stops, in reverse order, when the host closes.
   */
  public HostBuilder service(HostService service) {
    services.add(service);
    return this;
  }

  public HostBuilder agentVersion(String agent) {
    this.agentVersion = agent;
    return this;
  }

  /** The limit on the whole upgrade: multistream, Noise and muxer selection (default 10 s). */
  public HostBuilder handshakeTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("expected a positive timeout but received " + timeout);
    }
    this.handshakeTimeout = timeout;
    return this;
  }

  /** Streams open at once on one connection; more are refused with RST (default 256). */
  public HostBuilder maxStreamsPerConnection(int max) {
    this.maxStreamsPerConnection = positive(max, "maxStreamsPerConnection");
    return this;
  }

  /** TCP connections open at once; more inbound ones are closed (default 1024). */
  public HostBuilder maxConnections(int max) {
    this.maxConnections = positive(max, "maxConnections");
    return this;
  }

  /** Whether to offer yamux in the Noise payload, saving a round trip (default true). */
  public HostBuilder earlyMuxerNegotiation(boolean enabled) {
    this.earlyMuxerNegotiation = enabled;
    return this;
  }

  /** Netty I/O threads (default 2). */
  public HostBuilder ioThreads(int n) {
    this.ioThreads = positive(n, "ioThreads");
    return this;
  }

  /** Builds the host and binds its listen addresses. */
  public Host build() {
    Identity id = identity != null ? identity : Identity.generate();
    HostImpl host = new HostImpl(new HostImpl.Config(id, List.copyOf(listen), agentVersion,
        handshakeTimeout, maxStreamsPerConnection, maxConnections, earlyMuxerNegotiation,
        ioThreads, List.copyOf(services)));
    host.addProtocolHandler(Identify.binding(conn -> new IdentifyInfo("ipfs/0.1.0",
        agentVersion, id.publicKeyProtobuf(),
        host.listenAddresses().stream().map(Multiaddr::withoutPeerId).toList(),
        conn.remoteAddress().withoutPeerId(), host.protocols())));
    host.addProtocolHandler(Ping.binding());
    protocols.forEach(host::addProtocolHandler);
    services.forEach(s -> s.protocols().forEach(host::addProtocolHandler));
    host.start();
    try {
      for (HostService s : services) {
        s.start(host, id);
      }
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
    return host;
  }

  private static int positive(int n, String what) {
    if (n <= 0) {
      throw new IllegalArgumentException("expected a positive " + what + " but received " + n);
    }
    return n;
  }
}
