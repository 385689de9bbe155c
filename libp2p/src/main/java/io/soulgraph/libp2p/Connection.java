package io.soulgraph.libp2p;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A secured, multiplexed connection to one remote peer. */
public interface Connection {
  /** The authenticated remote peer (proved during the Noise handshake). */
  PeerId remotePeer();

  /** The remote's TCP address, ending in {@code /p2p/<remote id>}. */
  Multiaddr remoteAddress();

  /** Our end of the TCP connection. */
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

  /** True until the TCP connection closes. */
  boolean isOpen();

  /** Closes the connection (yamux GoAway, then TCP close). */
  CompletableFuture<Void> close();

  /** Completes when the connection has closed, for whatever reason. */
  CompletableFuture<Void> closeFuture();
}
