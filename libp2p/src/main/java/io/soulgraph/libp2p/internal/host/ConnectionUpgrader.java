package io.soulgraph.libp2p.internal.host;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.Libp2pException.ConnectionClosedException;
import io.soulgraph.libp2p.Libp2pException.TimeoutException;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.internal.multistream.MultistreamHandler;
import io.soulgraph.libp2p.internal.multistream.MultistreamNegotiator;
import io.soulgraph.libp2p.internal.noise.NoiseHandshake;
import io.soulgraph.libp2p.internal.noise.NoiseHandshakeHandler;
import io.soulgraph.libp2p.internal.yamux.YamuxFrameCodec;
import io.soulgraph.libp2p.internal.yamux.YamuxSession;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a raw TCP channel into a {@link Connection}, one pipeline stage at a time:
 * multistream-select {@code /noise}, the Noise XX handshake, then yamux (directly if both
 * sides listed it in the handshake payload, otherwise after multistream-select
 * {@code /yamux/1.0.0} inside the secure channel). Each stage installs the next just before
 * the {@link ConnectionGuard} and removes itself. The whole upgrade has a deadline.
 */
final class ConnectionUpgrader extends ChannelInboundHandlerAdapter {
  static final String NOISE = "/noise";

  private final HostImpl host;
  private final boolean initiator;
  private final PeerId expectedPeer;
  private final CompletableFuture<Connection> result;
  private final ConnectionGuard guard;
  private ScheduledFuture<?> deadline;

  ConnectionUpgrader(HostImpl host, boolean initiator, PeerId expectedPeer,
      CompletableFuture<Connection> result, ConnectionGuard guard) {
    this.host = host;
    this.initiator = initiator;
    this.expectedPeer = expectedPeer;
    this.result = result;
    this.guard = guard;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long ms = host.config().handshakeTimeout().toMillis();
    deadline = ctx.executor().schedule(() -> {
      TimeoutException late = new TimeoutException("connection upgrade took over " + ms + " ms");
      if (result.completeExceptionally(late)) {
        guard.exceptionCaught(ctx.pipeline().context(guard), late);
      }
    }, ms, TimeUnit.MILLISECONDS);
    MultistreamNegotiator n = initiator ? MultistreamNegotiator.dialer(List.of(NOISE))
        : MultistreamNegotiator.listener(() -> List.of(NOISE));
    addStage(ctx, "security-select", new MultistreamHandler(n, (c, p) -> startNoise(c)));
    ctx.fireChannelActive();
  }

  private void startNoise(ChannelHandlerContext ctx) {
    NoiseHandshake hs = new NoiseHandshake(initiator, host.noiseStatic());
    addStage(ctx, "noise-handshake",
        new NoiseHandshakeHandler(hs, initiator, expectedPeer, this::afterNoise));
  }

  private void afterNoise(ChannelHandlerContext ctx, NoiseHandshake.Result hs) {
    guard.peerKnown(hs.remotePeer());
    List<String> theirs = hs.remoteMuxers();
    if (host.config().earlyMuxerNegotiation() && !theirs.isEmpty()) {
      if (!theirs.contains(YamuxSession.PROTOCOL_ID)) {
        throw new BadPeerException("no shared stream muxer in " + theirs);
      }
      startYamux(ctx, hs.remotePeer());
      return;
    }
    MultistreamNegotiator n = initiator
        ? MultistreamNegotiator.dialer(List.of(YamuxSession.PROTOCOL_ID))
        : MultistreamNegotiator.listener(() -> List.of(YamuxSession.PROTOCOL_ID));
    addStage(ctx, "muxer-select", new MultistreamHandler(n,
        (c, p) -> startYamux(c, hs.remotePeer())));
  }

  private void startYamux(ChannelHandlerContext ctx, PeerId remote) {
    HostImpl.Config cfg = host.config();
    YamuxSession session = new YamuxSession(initiator, cfg.maxStreamsPerConnection(), host);
    addStage(ctx, "yamux-codec", new YamuxFrameCodec(YamuxSession.RECEIVE_WINDOW));
    addStage(ctx, "yamux", session);
    ConnectionImpl conn = new ConnectionImpl(ctx.channel(), session, remote, initiator);
    session.bind(conn);
    deadline.cancel(false);
    ctx.pipeline().remove(this);
    host.register(conn);
    result.complete(conn);
  }

  private static void addStage(ChannelHandlerContext ctx, String name,
      io.netty.channel.ChannelHandler h) {
    ctx.pipeline().addBefore(ConnectionGuard.NAME, name, h);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    Throwable why = guard.failure();
    result.completeExceptionally(why != null ? why
        : new ConnectionClosedException("connection closed during the upgrade"));
    ctx.fireChannelInactive();
  }
}
