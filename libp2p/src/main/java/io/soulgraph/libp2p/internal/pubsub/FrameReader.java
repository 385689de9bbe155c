package io.soulgraph.libp2p.internal.pubsub;

import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a byte stream into unsigned-varint-length-prefixed frames, refusing any frame longer
 * than {@code maxFrame} before buffering it. Not thread-safe (one per stream).
 */
public final class FrameReader {
  private final int maxFrame;
  private byte[] buf = new byte[0];
  private int len;

  public FrameReader(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  /**
   * Appends {@code data} and returns the frames it completes.
   *
   * @throws ProtocolViolationException if a frame is announced longer than the limit or its
   *     length is not a valid varint
   */
  public List<byte[]> feed(byte[] data) {
    if (len + data.length > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + data.length, buf.length * 2));
    }
    System.arraycopy(data, 0, buf, len, data.length);
    len += data.length;
    List<byte[]> frames = new ArrayList<>(1);
    int pos = 0;
    while (true) {
      long frameLen = 0;
      int shift = 0;
      int p = pos;
      boolean complete = false;
      while (p < len) {
        int b = buf[p++] & 0xFF;
        frameLen |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          complete = true;
          break;
        }
        shift += 7;
        if (shift > 28) {
          throw new ProtocolViolationException("RPC length varint longer than 5 bytes");
        }
      }
      if (complete && frameLen > maxFrame) {
        throw new ProtocolViolationException("RPC of " + frameLen + " bytes exceeds the limit of "
            + maxFrame);
      }
      if (!complete || len - p < frameLen) {
        break;
      }
      frames.add(Arrays.copyOfRange(buf, p, p + (int) frameLen));
      pos = p + (int) frameLen;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
      if (buf.length > 64 * 1024 && len < buf.length / 4) {
        buf = Arrays.copyOf(buf, Math.max(len, 1024)); // give back a big frame's buffer
      }
    }
    return frames;
  }

  /** Bytes held for an incomplete frame. */
  public int buffered() {
    return len;
  }
}
