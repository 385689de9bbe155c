package io.soulgraph.relay.p2p;

/**
 * Whether and where the relay runs its libp2p host. It listens on the relay's own interface
 * ({@code --host}).
 *
 * @param enabled false to run no libp2p host ({@code --no-libp2p})
 * @param port the TCP port (0: any free port)
 */
public record Libp2pConfig(boolean enabled, int port) {

  /** libp2p's customary port. */
  public static final int DEFAULT_PORT = 4001;

  public Libp2pConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "Expected a libp2p port in 0..65535 but received " + port);
    }
  }

  /** No libp2p host. */
  public static Libp2pConfig disabled() {
    return new Libp2pConfig(false, DEFAULT_PORT);
  }
}
