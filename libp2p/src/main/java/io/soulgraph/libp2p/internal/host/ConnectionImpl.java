package io.soulgraph.libp2p.internal.host;

import io.netty.channel.Channel;
import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.internal.yamux.YamuxFrame;
import io.soulgraph.libp2p.internal.yamux.YamuxSession;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@link Connection} over one Netty channel and its yamux session. */
final class ConnectionImpl implements Connection {
  private final Channel channel;
  private final YamuxSession session;
  private final PeerId remotePeer;
  private final boolean initiator;
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  ConnectionImpl(Channel channel, YamuxSession session, PeerId remotePeer, boolean initiator) {
    this.channel = channel;
    this.session = session;
    this.remotePeer = remotePeer;
    this.initiator = initiator;
    // Taken now: a closed channel no longer knows its addresses.
    this.remoteAddress = Multiaddr.fromSocketAddress((InetSocketAddress) channel.remoteAddress())
        .withPeerId(remotePeer);
    this.localAddress = Multiaddr.fromSocketAddress((InetSocketAddress) channel.localAddress());
    channel.closeFuture().addListener(f -> closeFuture.complete(null));
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Multiaddr localAddress() {
    return localAddress;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public String security() {
    return ConnectionUpgrader.NOISE;
  }

  @Override
  public String muxer() {
    return YamuxSession.PROTOCOL_ID;
  }

  @Override
  public CompletableFuture<Stream> newStream(List<String> protocols) {
    return session.open(protocols);
  }

  @Override
  public <C> CompletableFuture<C> newStream(ProtocolBinding<C> binding) {
    return newStream(List.of(binding.protocolId()))
        .thenApply(s -> binding.handler().onStartInitiator(s));
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public CompletableFuture<Void> close() {
    session.goAway(YamuxFrame.GO_AWAY_NORMAL);
    return closeFuture;
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public String toString() {
    return "Connection[" + remotePeer + " " + channel.remoteAddress() + "]";
  }
}
