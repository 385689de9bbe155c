package io.soulgraph.libp2p.internal.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

final class VarintTest {
  private static byte[] encode(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, v);
    return out.toByteArray();
  }

  @Test
  void write_knownValues_matchLeb128() {
    assertArrayEquals(new byte[] {0}, encode(0));
    assertArrayEquals(new byte[] {0x7f}, encode(127));
    assertArrayEquals(new byte[] {(byte) 0x80, 1}, encode(128));
    assertArrayEquals(new byte[] {(byte) 0xa5, 0x03}, encode(421)); // multiaddr p2p code
    assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, 3}, encode(65535));
  }

  @Test
  void read_roundTrip_forBoundaries() {
    for (long v : new long[] {0, 1, 127, 128, 16383, 16384, 1L << 31, Long.MAX_VALUE}) {
      byte[] b = encode(v);
      assertEquals(b.length, Varint.size(v));
      int[] pos = {0};
      assertEquals(v, Varint.read(b, pos));
      assertEquals(b.length, pos[0]);
      assertEquals(v, Varint.peek(Unpooled.wrappedBuffer(b), 10));
    }
  }

  @Test
  void peek_partialVarint_returnsIncompleteAndConsumesNothing() {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80});
    assertEquals(Varint.INCOMPLETE, Varint.peek(buf, 3));
    assertEquals(0, buf.readerIndex());
  }

  @Test
  void peek_tooLongOrNonMinimal_throwsProtocolViolation() {
    assertThrows(ProtocolViolationException.class, () -> Varint.peek(
        Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 1}), 3));
    assertThrows(ProtocolViolationException.class,
        () -> Varint.peek(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0}), 3));
  }

  @Test
  void base58_roundTrip_keepsLeadingZeros() {
    byte[] b = {0, 0, 1, 2, (byte) 0xff};
    assertArrayEquals(b, Base58.decode(Base58.encode(b)));
    assertEquals("11", Base58.encode(new byte[2]));
    assertEquals("StV1DL6CwTryKyV", Base58.encode("hello world".getBytes()));
  }
}
