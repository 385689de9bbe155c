package io.soulgraph.libp2p;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A libp2p host: it listens, dials, answers the protocols bound to it and opens streams. Build
 * one with {@link HostBuilder}. Transport is TCP, security Noise, muxer Yamux; identify and
 * ping are always bound.
 */
public interface Host extends AutoCloseable {
  /** Our peer id, from the identity key. */
  PeerId peerId();

  /** The addresses we listen on, with actual ports, each ending in {@code /p2p/<our id>}. */
  List<Multiaddr> listenAddresses();

  /** Binds a protocol: inbound streams negotiating its id are handed to its handler. */
  void addProtocolHandler(ProtocolBinding<?> binding);

  /** Unbinds a protocol; streams already open keep running. */
  void removeProtocolHandler(String protocolId);

  /** The protocol ids we answer, in registration order. */
  List<String> protocols();

  /**
   * Connects to {@code address}, which must end in {@code /p2p/<id>}: the Noise handshake fails
   * unless the remote proves that identity. Reuses an open connection to that peer.
   */
  CompletableFuture<Connection> dial(Multiaddr address);

  /** Opens a stream to the peer at {@code address} (dialing if needed) for {@code binding}. */
  <C> CompletableFuture<C> newStream(Multiaddr address, ProtocolBinding<C> binding);

  /**
   * Opens a stream for {@code binding} on an open connection to {@code peer}, whichever side
   * dialed it (there is no address book: to reach a peer we are not connected to, dial a
   * multiaddr). Fails with {@link Libp2pException.ConnectionClosedException} if there is none.
   */
  <C> CompletableFuture<C> newStream(PeerId peer, ProtocolBinding<C> binding);

  /** Opens a raw stream to the peer at {@code address} negotiating {@code protocolId}. */
  CompletableFuture<Stream> newStream(Multiaddr address, String protocolId);

  /**
   * Calls {@code listener} with every connection that completes its upgrade from now on, inbound
   * or outbound, on that connection's I/O thread (it must not block). Services use it to open
   * their streams; watch {@link Connection#closeFuture()} for the end.
   */
  void addConnectionListener(Consumer<Connection> listener);

  /** Open connections, inbound and outbound. */
  List<Connection> connections();

  /** Closes every connection and the listeners, and stops the I/O threads. */
  @Override
  void close();
}
