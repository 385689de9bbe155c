package io.soulgraph.relay.p2p;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether and where the relay runs its libp2p host, and which federation mesh it joins. It listens
 * on the relay's own interface ({@code --host}).
 *
 * @param enabled false to run no libp2p host ({@code --no-libp2p})
 * @param port the TCP port (0: any free port)
 * @param network the mesh this relay belongs to ({@code --network}); relays of other networks
 *     exchange nothing with it
 * @param bootstrap multiaddrs ending in {@code /p2p/<peer id>} to dial and keep dialing ({@code
 *     --bootstrap})
 * @param mdns whether to find peers on the local network by mDNS ({@code --mdns})
 */
public record Libp2pConfig(
    boolean enabled, int port, String network, List<String> bootstrap, boolean mdns) {

  /** libp2p's customary port. */
  public static final int DEFAULT_PORT = 4001;

  /** The network a relay joins unless told otherwise. */
  public static final String DEFAULT_NETWORK = "default";

  private static final Pattern NETWORK = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public Libp2pConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "Expected a libp2p port in 0..65535 but received " + port);
    }
    if (network == null || !NETWORK.matcher(network).matches()) {
      throw new IllegalArgumentException(
          "Expected a --network name of 1-64 letters, digits, '.', '_' or '-' but received "
              + network);
    }
    bootstrap = List.copyOf(bootstrap);
  }

  /** A host on {@code port} in the default network, no bootstrap peers, no mDNS. */
  public Libp2pConfig(boolean enabled, int port) {
    this(enabled, port, DEFAULT_NETWORK, List.of(), false);
  }

  /** No libp2p host. */
  public static Libp2pConfig disabled() {
    return new Libp2pConfig(false, DEFAULT_PORT);
  }

  /** This configuration in another network. */
  public Libp2pConfig withNetwork(String otherNetwork) {
    return new Libp2pConfig(enabled, port, otherNetwork, bootstrap, mdns);
  }

  /** This configuration with other bootstrap peers. */
  public Libp2pConfig withBootstrap(List<String> otherBootstrap) {
    return new Libp2pConfig(enabled, port, network, otherBootstrap, mdns);
  }

  /** This configuration with mDNS on or off. */
  public Libp2pConfig withMdns(boolean on) {
    return new Libp2pConfig(enabled, port, network, bootstrap, on);
  }

  /** The gossipsub topic live changes of this network travel on. */
  public String topic() {
    return topic(network);
  }

  /** The gossipsub topic of {@code network}: {@code /soulgraph/<network>/put/1.0.0}. */
  public static String topic(String network) {
    return "/soulgraph/" + network + "/put/1.0.0";
  }
}
