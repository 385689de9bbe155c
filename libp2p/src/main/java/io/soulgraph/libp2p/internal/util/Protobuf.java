package io.soulgraph.libp2p.internal.util;

import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Just enough protobuf for libp2p's tiny messages (PublicKey, NoiseHandshakePayload, Identify):
 * varint and length-delimited fields. Hand-written so the module needs no protobuf runtime.
 */
public final class Protobuf {
  private static final int VARINT = 0;
  private static final int I64 = 1;
  private static final int LEN = 2;
  private static final int I32 = 5;

  private Protobuf() {}

  /** Builds a message field by field, in the order the caller writes them. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Writer varint(int field, long value) {
      Varint.write(out, (long) field << 3 | VARINT);
      Varint.write(out, value);
      return this;
    }

    public Writer bytes(int field, byte[] value) {
      Varint.write(out, (long) field << 3 | LEN);
      Varint.write(out, value.length);
      out.writeBytes(value);
      return this;
    }

    public Writer string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /**
   * Calls {@code onField(number, value)} for every field; varints arrive as {@link Long},
   * length-delimited fields as {@code byte[]}. Fixed-width fields are skipped.
   *
   * @throws ProtocolViolationException on truncated or malformed input
   */
  public static void parse(byte[] msg, BiConsumer<Integer, Object> onField) {
    int[] pos = {0};
    while (pos[0] < msg.length) {
      long key = Varint.read(msg, pos);
      int field = (int) (key >>> 3);
      switch ((int) (key & 7)) {
        case VARINT -> onField.accept(field, Varint.read(msg, pos));
        case LEN -> onField.accept(field, readBytes(msg, pos));
        case I64 -> skip(msg, pos, 8);
        case I32 -> skip(msg, pos, 4);
        default -> throw new ProtocolViolationException("unsupported protobuf wire type " + key);
      }
    }
  }

  /** Collects repeated length-delimited values of a field. */
  public static List<byte[]> repeated(byte[] msg, int field) {
    List<byte[]> values = new ArrayList<>();
    parse(msg, (f, v) -> {
      if (f == field && v instanceof byte[] b) {
        values.add(b);
      }
    });
    return values;
  }

  private static byte[] readBytes(byte[] msg, int[] pos) {
    long len = Varint.read(msg, pos);
    if (len < 0 || len > msg.length - pos[0]) {
      throw new ProtocolViolationException("protobuf field length " + len + " overruns message");
    }
    byte[] value = new byte[(int) len];
    System.arraycopy(msg, pos[0], value, 0, value.length);
    pos[0] += value.length;
    return value;
  }

  private static void skip(byte[] msg, int[] pos, int n) {
    if (msg.length - pos[0] < n) {
      throw new ProtocolViolationException("truncated protobuf fixed field");
    }
    pos[0] += n;
  }
}
