package io.soulgraph.libp2p.internal.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

final class YamuxFrameCodecTest {
  @Test
  void encode_windowUpdateSyn_matchesSpecLayout() {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameCodec(1024));
    ch.writeOutbound(YamuxFrame.windowUpdate(3, YamuxFrame.SYN, 0));
    ByteBuf out = ch.readOutbound();
    assertEquals("000100010000000300000000", HexFormat.of().formatHex(bytes(out)));
  }

  @Test
  void decode_frameSplitAcrossReads_isReassembled() {
    EmbeddedChannel enc = new EmbeddedChannel(new YamuxFrameCodec(1 << 20));
    byte[] body = new byte[100_000];
    body[99_999] = 7;
    enc.writeOutbound(YamuxFrame.data(5, YamuxFrame.FIN, body));
    byte[] wire = bytes(enc.readOutbound());
    EmbeddedChannel dec = new EmbeddedChannel(new YamuxFrameCodec(1 << 20));
    for (int i = 0; i < wire.length; i += 65519) { // one Noise message's worth at a time
      dec.writeInbound(Unpooled.wrappedBuffer(wire, i, Math.min(65519, wire.length - i)));
    }
    YamuxFrame f = dec.readInbound();
    assertEquals(5, f.streamId());
    assertEquals(YamuxFrame.FIN, f.flags());
    assertArrayEquals(body, f.data());
    assertNull(dec.readInbound());
  }

  @Test
  void decode_oversizedData_throwsProtocolViolation() {
    EmbeddedChannel dec = new EmbeddedChannel(new YamuxFrameCodec(1024));
    ByteBuf b = Unpooled.buffer().writeByte(0).writeByte(0).writeShort(0).writeInt(1)
        .writeInt(1025);
    DecoderException e = assertThrows(DecoderException.class, () -> dec.writeInbound(b));
    assertEquals(ProtocolViolationException.class, e.getCause().getClass());
  }

  @Test
  void decode_badVersionOrType_throwsProtocolViolation() {
    for (int[] vt : new int[][] {{1, 0}, {0, 4}}) {
      EmbeddedChannel dec = new EmbeddedChannel(new YamuxFrameCodec(1024));
      ByteBuf b = Unpooled.buffer().writeByte(vt[0]).writeByte(vt[1]).writeShort(0).writeInt(1)
          .writeInt(0);
      DecoderException e = assertThrows(DecoderException.class, () -> dec.writeInbound(b));
      assertEquals(ProtocolViolationException.class, e.getCause().getClass());
    }
  }

  @Test
  void decode_windowUpdateWithHugeDelta_hasNoBody() {
    EmbeddedChannel dec = new EmbeddedChannel(new YamuxFrameCodec(1024));
    dec.writeInbound(Unpooled.buffer().writeByte(0).writeByte(1).writeShort(0).writeInt(1)
        .writeInt(0xfffffff0));
    YamuxFrame f = dec.readInbound();
    assertEquals(0xfffffff0L, f.length());
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    b.release();
    return out;
  }
}
