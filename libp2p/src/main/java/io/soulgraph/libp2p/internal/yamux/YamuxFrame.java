package io.soulgraph.libp2p.internal.yamux;

/**
 * One yamux frame: the 12-byte header (version 0, type, flags, stream id, length) and, for Data
 * frames, {@code length} bytes of body. For WindowUpdate the length is the window delta, for
 * Ping the opaque value, for GoAway the error code.
 */
public record YamuxFrame(int type, int flags, int streamId, long length, byte[] data) {
  public static final int HEADER_LENGTH = 12;
  public static final int DATA = 0;
  public static final int WINDOW_UPDATE = 1;
  public static final int PING = 2;
  public static final int GO_AWAY = 3;

  public static final int SYN = 1;
  public static final int ACK = 2;
  public static final int FIN = 4;
  public static final int RST = 8;

  public static final int GO_AWAY_NORMAL = 0;
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  private static final byte[] EMPTY = new byte[0];

  public static YamuxFrame data(int streamId, int flags, byte[] data) {
    return new YamuxFrame(DATA, flags, streamId, data.length, data);
  }

  public static YamuxFrame windowUpdate(int streamId, int flags, long delta) {
    return new YamuxFrame(WINDOW_UPDATE, flags, streamId, delta, EMPTY);
  }

  public static YamuxFrame ping(int flags, long opaque) {
    return new YamuxFrame(PING, flags, 0, opaque, EMPTY);
  }

  public static YamuxFrame goAway(int code) {
    return new YamuxFrame(GO_AWAY, 0, 0, code, EMPTY);
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  @Override
  public String toString() {
    return "YamuxFrame[type=" + type + ", flags=" + flags + ", stream=" + streamId
        + ", length=" + length + "]";
  }
}
