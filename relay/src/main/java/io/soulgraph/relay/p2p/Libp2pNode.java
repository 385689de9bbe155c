package io.soulgraph.relay.p2p;

import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Multiaddr;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

/**
 * The relay's libp2p host: TCP, Noise, Yamux, identify and ping, with an identity key kept in the
 * data directory so that the relay's peer id survives restarts.
 */
public final class Libp2pNode implements AutoCloseable {

  /** Where the identity key lives, relative to the data directory. */
  public static final String IDENTITY_FILE = "libp2p-identity.key";

  private final Host host;

  private Libp2pNode(Host host) {
    this.host = host;
  }

  /**
   * Starts the host on {@code listenHost:config.port()}.
   *
   * @param dataDir where the identity key is kept; null for an in-memory relay, which then gets a
   *     new peer id on every start
   * @param agentVersion what identify announces, e.g. {@code soulgraph-relay/0.1.0}
   */
  public static Libp2pNode start(
      String listenHost, Libp2pConfig config, Path dataDir, String agentVersion) {
    HostBuilder builder =
        new HostBuilder()
            .listen(listenAddress(listenHost, config.port()))
            .agentVersion(agentVersion);
    if (dataDir != null) {
      builder.identityFile(dataDir.resolve(IDENTITY_FILE));
    }
    return new Libp2pNode(builder.build());
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

  /** The host, for protocols the relay binds. */
  public Host host() {
    return host;
  }

  @Override
  public void close() {
    host.close();
  }
}
