package io.soulgraph.libp2p;

/**
 * The logic of one application protocol over a {@link Stream}. It never sees a socket: it
 * installs a {@link StreamListener} and returns a controller, the typed handle the caller uses
 * (for example {@code PingController}).
 *
 * @param <C> the controller type
 */
public interface ProtocolHandler<C> {
  /** We opened the stream. */
  C onStartInitiator(Stream stream);

  /** The remote opened the stream. */
  C onStartResponder(Stream stream);
}
