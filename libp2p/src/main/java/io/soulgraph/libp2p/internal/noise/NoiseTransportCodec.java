package io.soulgraph.libp2p.internal.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.util.List;

/**
 * Noise transport messages: each is a u16 big-endian length and a ChaCha20-Poly1305 ciphertext
 * (at most 65535 bytes including the 16-byte tag). Outbound bytes of any size are cut into as
 * many messages as needed; inbound messages may arrive split across TCP reads.
 */
public final class NoiseTransportCodec extends ByteToMessageCodec<ByteBuf> {
  public static final int MAX_MESSAGE = 65535;
  public static final int MAX_PLAINTEXT = MAX_MESSAGE - NoiseCipherState.TAG_LENGTH;
  private static final byte[] NO_AD = new byte[0];

  private final NoiseCipherState sender;
  private final NoiseCipherState receiver;

  public NoiseTransportCodec(NoiseCipherState sender, NoiseCipherState receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) {
    byte[] plain = new byte[Math.min(msg.readableBytes(), MAX_PLAINTEXT)];
    while (msg.isReadable()) {
      int n = Math.min(msg.readableBytes(), MAX_PLAINTEXT);
      msg.readBytes(plain, 0, n);
      byte[] ct = sender.encrypt(NO_AD, plain, 0, n);
      out.writeShort(ct.length);
      out.writeBytes(ct);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 2) {
      int len = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < 2 + len) {
        return;
      }
      in.skipBytes(2);
      byte[] ct = new byte[len];
      in.readBytes(ct);
      out.add(Unpooled.wrappedBuffer(receiver.decrypt(NO_AD, ct, 0, len)));
    }
  }
}
