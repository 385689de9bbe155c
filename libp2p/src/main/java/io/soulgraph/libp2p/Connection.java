package io.soulgraph.libp2p;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A secured, multiplexed connection to one remote peer. */
public interface Connection {
  PeerId remotePeer();

  Multiaddr remoteAddress();

  Multiaddr localAddress();

  /** True if we dialed it. */
  boolean isInitiator();

  /** The security protocol, {@code /noise}. */
  String security();

  /** The stream muxer, {@code /yamux/1.0.0}. */
  String muxer();

  /**
   * Opens a stream and negotiates the first protocol in {@code protocols} the remote accepts.
   * Fails with {@link Libp2pException.NoSuchRemoteProtocolException} if it accepts none.
   */
  CompletableFuture<Stream> newStream(List<String> protocols);

  /** Opens a stream for {@code binding} and starts its initiator side. */
  <C> CompletableFuture<C> newStream(ProtocolBinding<C> binding);

  boolean isOpen();

  /** Closes the connection (yamux GoAway, then TCP close). */
  CompletableFuture<Void> close();

  CompletableFuture<Void> closeFuture();
}
