package io.soulgraph.relay.p2p;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.discovery.Bootstrap;
import io.soulgraph.libp2p.discovery.Mdns;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The relay's libp2p host: TCP, Noise, Yamux, identify and ping, with an identity key kept in the
 * data directory so that the relay's peer id survives restarts; with a {@link Federation}, also
 * gossipsub, the sync protocol and discovery ({@code --bootstrap}, {@code --mdns}).
 */
public final class Libp2pNode implements AutoCloseable {

  /** Where the identity key lives, relative to the data directory. */
  public static final String IDENTITY_FILE = "libp2p-identity.key";

  private final Host host;
  private final Libp2pConfig config;
  private final Federation federation;

  private Libp2pNode(Host host, Libp2pConfig config, Federation federation) {
    this.host = host;
    this.config = config;
    this.federation = federation;
  }

  /** Starts a host without federation (ping and identify only). */
  public static Libp2pNode start(
      String listenHost, Libp2pConfig config, Path dataDir, String agentVersion) {
    return start(listenHost, config, dataDir, agentVersion, null);
  }

  /**
   * Starts the host on {@code listenHost:config.port()}.
   *
   * @param dataDir where the identity key is kept; null for an in-memory relay, which then gets a
   *     new peer id on every start
   * @param agentVersion what identify announces, e.g. {@code soulgraph-relay/0.1.0}
   * @param federation gossipsub and the sync protocol, or null for none
   */
  public static Libp2pNode start(
      String listenHost,
      Libp2pConfig config,
      Path dataDir,
      String agentVersion,
      Federation federation) {
    List<Multiaddr> bootstrap = bootstrapAddresses(config.bootstrap());
    HostBuilder builder =
        new HostBuilder()
            .listen(listenAddress(listenHost, config.port()))
            .agentVersion(agentVersion);
    if (dataDir != null) {
      builder.identityFile(dataDir.resolve(IDENTITY_FILE));
    }
    if (federation != null) {
      // Order matters: services start in this order, and discovery dials at once.
      builder.service(federation.gossip()).service(federation);
      if (!bootstrap.isEmpty()) {
        builder.service(new Bootstrap(bootstrap));
      }
      if (config.mdns()) {
        builder.service(new Mdns(null, Duration.ofSeconds(10), peer -> { }));
      }
    }
    return new Libp2pNode(builder.build(), config, federation);
  }

  /** The {@code --bootstrap} addresses, each checked to end in {@code /p2p/<peer id>}. */
  public static List<Multiaddr> bootstrapAddresses(List<String> addresses) {
    return addresses.stream()
        .map(
            text -> {
              Multiaddr address;
              try {
                address = Multiaddr.fromString(text);
              } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                    "Expected a --bootstrap multiaddr like /ip4/10.0.0.5/tcp/4001/p2p/12D3KooW…"
                        + " but received " + text + " (" + e.getMessage() + ")", e);
              }
              if (address.peerId().isEmpty()) {
                throw new IllegalArgumentException(
                    "Expected a --bootstrap multiaddr ending in /p2p/<peer id> but received "
                        + text);
              }
              return address;
            })
        .toList();
  }

  private static String listenAddress(String host, int port) {
    try {
      InetAddress address = InetAddress.getByName(host);
      String family = address instanceof Inet6Address ? "ip6" : "ip4";
      return "/" + family + "/" + address.getHostAddress() + "/tcp/" + port;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Expected a resolvable host but received " + host, e);
    }
  }

  /** The relay's peer id, {@code 12D3KooW…}. */
  public String peerId() {
    return host.peerId().toString();
  }

  /** The addresses peers dial, each ending in {@code /p2p/<peer id>}. */
  public List<String> addresses() {
    return host.listenAddresses().stream().map(Multiaddr::toString).toList();
  }

  /** The network this relay belongs to. */
  public String network() {
    return config.network();
  }

  /** The peer ids of the libp2p peers connected now, each once. */
  public List<String> connectedPeers() {
    return host.connections().stream()
        .filter(Connection::isOpen)
        .map(connection -> connection.remotePeer().toString())
        .distinct()
        .sorted()
        .toList();
  }

  /** Gossipsub and the sync protocol, or null when the host runs without them. */
  public Federation federation() {
    return federation;
  }

  /** The host, for protocols the relay binds. */
  public Host host() {
    return host;
  }

  @Override
  public void close() {
    host.close();
  }
}
