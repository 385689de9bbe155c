package io.soulgraph.libp2p.internal.noise;

import io.soulgraph.libp2p.internal.util.Protobuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The libp2p {@code NoiseHandshakePayload}: identity_key = 1, identity_sig = 2, extensions = 4
 * (a {@code NoiseExtensions} with stream_muxers = 2). Value and codec in one small record.
 */
public record NoisePayload(byte[] identityKey, byte[] identitySignature, List<String> muxers) {
  static final int IDENTITY_KEY = 1;
  static final int IDENTITY_SIG = 2;
  static final int EXTENSIONS = 4;
  static final int STREAM_MUXERS = 2;

  public byte[] encode() {
    Protobuf.Writer w = new Protobuf.Writer()
        .bytes(IDENTITY_KEY, identityKey)
        .bytes(IDENTITY_SIG, identitySignature);
    if (!muxers.isEmpty()) {
      Protobuf.Writer ext = new Protobuf.Writer();
      muxers.forEach(m -> ext.string(STREAM_MUXERS, m));
      w.bytes(EXTENSIONS, ext.toByteArray());
    }
    return w.toByteArray();
  }

  /** @throws io.soulgraph.libp2p.Libp2pException.ProtocolViolationException if malformed */
  public static NoisePayload decode(byte[] bytes) {
    byte[][] keyAndSig = new byte[2][];
    List<String> muxers = new ArrayList<>();
    Protobuf.parse(bytes, (field, value) -> {
      if (!(value instanceof byte[] b)) {
        return;
      }
      switch (field) {
        case IDENTITY_KEY -> keyAndSig[0] = b;
        case IDENTITY_SIG -> keyAndSig[1] = b;
        case EXTENSIONS -> Protobuf.repeated(b, STREAM_MUXERS)
            .forEach(m -> muxers.add(new String(m, StandardCharsets.UTF_8)));
        default -> { } // unknown fields are allowed by protobuf's rules
      }
    });
    return new NoisePayload(keyAndSig[0] == null ? new byte[0] : keyAndSig[0],
        keyAndSig[1] == null ? new byte[0] : keyAndSig[1], List.copyOf(muxers));
  }
}
