package io.soulgraph.libp2p.internal.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.PeerId;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Drives a {@link NoiseHandshake} over the channel: handshake messages are framed with a u16
 * big-endian length. When the handshake is done it checks the remote identity against the
 * peer we dialed, installs {@link NoiseTransportCodec} in its place and hands the result on.
 */
public final class NoiseHandshakeHandler extends ByteToMessageDecoder {
  private final NoiseHandshake handshake;
  private final boolean initiator;
  private final PeerId expectedPeer;
  private final BiConsumer<ChannelHandlerContext, NoiseHandshake.Result> onDone;
  private int received;

  /**
   * @param expectedPeer the {@code /p2p/} id we dialed, or null when the remote dialed us
   * @param onDone called on the event loop after the transport codec is in place; it installs
   *     the next stage after this handler (which then removes itself)
   */
  public NoiseHandshakeHandler(NoiseHandshake handshake, boolean initiator, PeerId expectedPeer,
      BiConsumer<ChannelHandlerContext, NoiseHandshake.Result> onDone) {
    this.handshake = handshake;
    this.initiator = initiator;
    this.expectedPeer = expectedPeer;
    this.onDone = onDone;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (initiator) {
      send(ctx, handshake.writeMessage1());
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 2 && !isDone()) {
      int len = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < 2 + len) {
        return;
      }
      in.skipBytes(2);
      byte[] msg = new byte[len];
      in.readBytes(msg);
      step(ctx, msg);
    }
  }

  private boolean isDone() {
    return received == (initiator ? 1 : 2);
  }

  private void step(ChannelHandlerContext ctx, byte[] msg) {
    received++;
    if (!initiator && received == 1) {
      handshake.readMessage1(msg);
      send(ctx, handshake.writeMessage2());
      return;
    }
    if (initiator) {
      handshake.readMessage2(msg);
      send(ctx, handshake.writeMessage3());
    } else {
      handshake.readMessage3(msg);
    }
    NoiseHandshake.Result result = handshake.result();
    if (expectedPeer != null && !expectedPeer.equals(result.remotePeer())) {
      throw new BadPeerException("dialed " + expectedPeer + " but the remote is "
          + result.remotePeer());
    }
    ctx.pipeline().addAfter(ctx.name(), "noise",
        new NoiseTransportCodec(result.sender(), result.receiver()));
    onDone.accept(ctx, result);
    // Removing a decoder forwards any bytes it still holds (the first transport messages).
    ctx.pipeline().remove(this);
  }

  private static void send(ChannelHandlerContext ctx, byte[] msg) {
    ByteBuf buf = ctx.alloc().buffer(2 + msg.length);
    buf.writeShort(msg.length);
    buf.writeBytes(msg);
    ctx.writeAndFlush(buf);
  }
}
