package io.soulgraph.relay.p2p;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The framing of {@code /soulgraph/sync/1.0.0} streams: each frame is an unsigned varint byte
 * length (LEB128, as libp2p frames its own messages) followed by that many bytes of UTF-8 text.
 * A {@link Decoder} takes bytes split anywhere and yields whole frames.
 */
public final class Frames {

  private Frames() {}

  /** {@code text} as one frame. */
  public static byte[] encode(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    long length = body.length;
    while (length >= 0x80) {
      out.write((int) (length & 0x7f) | 0x80);
      length >>>= 7;
    }
    out.write((int) length);
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  /** A frame broke the framing: too long, or a length that is not a varint. */
  public static final class FramingException extends Exception {
    FramingException(String message) {
      super(message);
    }
  }

  /** Reassembles frames from bytes split anywhere; one per stream, not thread-safe. */
  public static final class Decoder {
    private final int maxFrameBytes;
    private long length = -1;
    private int lengthShift;
    private long partialLength;
    private byte[] body;
    private int filled;

    /** @param maxFrameBytes the longest frame body accepted; a longer length fails at once */
    public Decoder(int maxFrameBytes) {
      this.maxFrameBytes = maxFrameBytes;
    }

    /** The frames {@code data} completes, in order. */
    public List<String> feed(byte[] data) throws FramingException {
      List<String> frames = new ArrayList<>(1);
      int i = 0;
      while (i < data.length) {
        if (length < 0) {
          int b = data[i++] & 0xff;
          if (lengthShift > 28) {
            throw new FramingException("frame length is not a varint of at most 5 bytes");
          }
          partialLength |= (long) (b & 0x7f) << lengthShift;
          lengthShift += 7;
          if ((b & 0x80) != 0) {
            continue;
          }
          if (partialLength > maxFrameBytes) {
            throw new FramingException(
                "frame of " + partialLength + " bytes exceeds the limit of " + maxFrameBytes);
          }
          length = partialLength;
          partialLength = 0;
          lengthShift = 0;
          body = new byte[(int) length];
          filled = 0;
          if (length == 0) {
            frames.add("");
            body = null;
            length = -1;
            continue;
          }
        }
        int take = Math.min(body.length - filled, data.length - i);
        System.arraycopy(data, i, body, filled, take);
        filled += take;
        i += take;
        if (filled == body.length) {
          frames.add(new String(body, StandardCharsets.UTF_8));
          body = null;
          length = -1;
        }
      }
      return frames;
    }

    /** Bytes of a frame begun but not finished. */
    public int pendingBytes() {
      return body == null ? 0 : filled;
    }
  }
}
