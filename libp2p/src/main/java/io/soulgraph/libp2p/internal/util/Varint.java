package io.soulgraph.libp2p.internal.util;

import io.netty.buffer.ByteBuf;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import java.io.ByteArrayOutputStream;

/** Unsigned LEB128 varints, as multiformats, multistream-select and protobuf use them. */
public final class Varint {
  /** Returned by {@link #peek} when the buffer does not hold a whole varint yet. */
  public static final long INCOMPLETE = -1;

  private Varint() {}

  /** Appends {@code value} (non-negative) as an unsigned varint. */
  public static void write(ByteArrayOutputStream out, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("expected a non-negative varint but received " + value);
    }
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** Writes {@code value} (non-negative) as an unsigned varint. */
  public static void write(ByteBuf out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  /** The encoded size of {@code value}. */
  public static int size(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /**
   * Reads a varint at the reader index without consuming it.
   *
   * @return the value, or {@link #INCOMPLETE} if more bytes are needed; the caller learns the
   *     encoded length from {@link #size}
   * @throws ProtocolViolationException if it is longer than {@code maxBytes} bytes
   */
  public static long peek(ByteBuf in, int maxBytes) {
    long value = 0;
    int shift = 0;
    for (int i = 0; i < maxBytes; i++) {
      if (in.readableBytes() <= i) {
        return INCOMPLETE;
      }
      int b = in.getUnsignedByte(in.readerIndex() + i);
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (i > 0 && b == 0) {
          throw new ProtocolViolationException("varint is not minimally encoded");
        }
        return value;
      }
      shift += 7;
    }
    throw new ProtocolViolationException("varint is longer than " + maxBytes + " bytes");
  }

  /** Reads a varint from a byte array at {@code pos[0]}, advancing it. */
  public static long read(byte[] in, int[] pos) {
    long value = 0;
    int shift = 0;
    for (int i = 0; i < 10; i++) {
      if (pos[0] >= in.length) {
        throw new ProtocolViolationException("truncated varint");
      }
      int b = in[pos[0]++] & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
      shift += 7;
    }
    throw new ProtocolViolationException("varint is longer than 10 bytes");
  }
}
