package io.soulgraph.libp2p.internal.multistream;

import io.netty.buffer.ByteBuf;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import io.soulgraph.libp2p.internal.util.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * multistream-select 1.0 message framing: an unsigned varint length (which counts the
 * trailing newline), the UTF-8 text, then {@code \n}.
 */
public final class MultistreamCodec {
  public static final String PROTOCOL_ID = "/multistream/1.0.0";
  public static final String NA = "na";
  public static final String LS = "ls";
  /** js-libp2p's limit on a protocol id; our messages never need more (plus the newline). */
  public static final int MAX_MESSAGE_LENGTH = 1024 + 1;

  private MultistreamCodec() {}

  public static void encode(ByteArrayOutputStream out, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (b.length + 1 > MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException("expected a protocol id of at most 1024 bytes but "
          + "received " + b.length);
    }
    Varint.write(out, b.length + 1L);
    out.writeBytes(b);
    out.write('\n');
  }

  public static byte[] encode(String... texts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String t : texts) {
      encode(out, t);
    }
    return out.toByteArray();
  }

  /**
   * Consumes one whole message from {@code in} if it holds one.
   *
   * @return the text without its newline, or null (nothing consumed) if more bytes are needed
   * @throws ProtocolViolationException on an oversized, empty or unterminated message
   */
  public static String tryDecode(ByteBuf in) {
    long len = Varint.peek(in, 3);
    if (len == Varint.INCOMPLETE) {
      return null;
    }
    if (len < 1 || len > MAX_MESSAGE_LENGTH) {
      throw new ProtocolViolationException("multistream message length " + len
          + " outside 1.." + MAX_MESSAGE_LENGTH);
    }
    int header = Varint.size(len);
    if (in.readableBytes() < header + len) {
      return null;
    }
    int start = in.readerIndex() + header;
    if (in.getByte(start + (int) len - 1) != '\n') {
      throw new ProtocolViolationException("multistream message does not end with a newline");
    }
    String text = in.toString(start, (int) len - 1, StandardCharsets.UTF_8);
    in.skipBytes(header + (int) len);
    return text;
  }
}
