package io.soulgraph.libp2p.internal.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Runs a {@link MultistreamNegotiator} on a whole connection (choosing the security protocol,
 * or the muxer inside the secure channel). When a protocol is selected it calls
 * {@code onSelected}, which installs the next stage after this handler, and removes itself;
 * bytes already read past the deciding message go on to that stage.
 */
public final class MultistreamHandler extends ByteToMessageDecoder {
  private final MultistreamNegotiator negotiator;
  private final BiConsumer<ChannelHandlerContext, String> onSelected;

  public MultistreamHandler(MultistreamNegotiator negotiator,
      BiConsumer<ChannelHandlerContext, String> onSelected) {
    this.negotiator = negotiator;
    this.onSelected = onSelected;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    byte[] first = negotiator.start();
    if (first.length > 0) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(first));
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (negotiator.isDone()) {
      return;
    }
    byte[] reply = negotiator.onData(in);
    if (reply.length > 0) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
    }
    if (negotiator.isDone()) {
      onSelected.accept(ctx, negotiator.selected());
      ctx.pipeline().remove(this);
    }
  }
}
