package io.soulgraph.libp2p.internal.pubsub;

import java.util.Arrays;
import java.util.HexFormat;

/** A message id as a map key: js's default for StrictSign, key protobuf followed by seqno. */
public final class MessageId {
  private final byte[] bytes;
  private final int hash;

  public MessageId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The id js-libp2p's gossipsub gives a signed message: its public key protobuf ‖ seqno. */
  public static MessageId of(byte[] keyProtobuf, byte[] seqno) {
    byte[] id = Arrays.copyOf(keyProtobuf, keyProtobuf.length + seqno.length);
    System.arraycopy(seqno, 0, id, keyProtobuf.length, seqno.length);
    return new MessageId(id);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageId m && hash == m.hash && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes, Math.max(0, bytes.length - 8), bytes.length);
  }
}
