package io.soulgraph.libp2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import java.util.List;

/**
 * Bytes to {@link YamuxFrame}s and back. A frame may span several Noise messages (js sends
 * Data frames as large as the window allows), so frames are reassembled from the cumulated
 * stream. Limits at the edge: version 0 only, known types, a Data body of at most
 * {@code maxDataLength} bytes.
 */
public final class YamuxFrameCodec extends ByteToMessageCodec<YamuxFrame> {
  private final int maxDataLength;

  public YamuxFrameCodec(int maxDataLength) {
    this.maxDataLength = maxDataLength;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, YamuxFrame f, ByteBuf out) {
    out.writeByte(0);
    out.writeByte(f.type());
    out.writeShort(f.flags());
    out.writeInt(f.streamId());
    out.writeInt((int) f.length());
    out.writeBytes(f.data());
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
      int at = in.readerIndex();
      int version = in.getUnsignedByte(at);
      int type = in.getUnsignedByte(at + 1);
      if (version != 0) {
        throw new ProtocolViolationException("yamux version " + version + " is not 0");
      }
      if (type > YamuxFrame.GO_AWAY) {
        throw new ProtocolViolationException("unknown yamux frame type " + type);
      }
      long length = in.getUnsignedInt(at + 8);
      int body = type == YamuxFrame.DATA ? checkDataLength(length) : 0;
      if (in.readableBytes() < YamuxFrame.HEADER_LENGTH + body) {
        return;
      }
      int flags = in.getUnsignedShort(at + 2);
      int streamId = in.getInt(at + 4);
      in.skipBytes(YamuxFrame.HEADER_LENGTH);
      byte[] data = new byte[body];
      in.readBytes(data);
      out.add(new YamuxFrame(type, flags, streamId, length, data));
    }
  }

  private int checkDataLength(long length) {
    if (length > maxDataLength) {
      throw new ProtocolViolationException("yamux frame is too large: " + length + " > "
          + maxDataLength);
    }
    return (int) length;
  }
}
