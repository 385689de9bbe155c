package io.soulgraph.libp2p.internal.pubsub;

import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.internal.crypto.Ed25519;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * StrictSign: every message carries {@code from}, an 8-byte {@code seqno} and an Ed25519
 * signature over {@code "libp2p-pubsub:"} followed by the protobuf of from, data, seqno and topic
 * in field order (js re-encodes that way before verifying, so we sign and verify the same).
 */
public final class MessageSigning {
  private static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);

  private MessageSigning() {}

  /** A signed message from {@code identity}; the key is omitted, as it is inlined in the id. */
  public static Rpc.Message sign(Identity identity, String topic, byte[] data, long seqno) {
    byte[] seq = ByteBuffer.allocate(8).putLong(seqno).array();
    Rpc.Message unsigned = new Rpc.Message(identity.peerId().toBytes(), data, seq, topic, null,
        null);
    return new Rpc.Message(unsigned.from(), data, seq, topic,
        identity.sign(signedBytes(unsigned)), null);
  }

  /** Why {@code m} fails StrictSign, or empty if it passes. */
  public static Optional<String> check(Rpc.Message m) {
    if (m.from() == null || m.seqno() == null || m.signature() == null || m.topic() == null) {
      return Optional.of("missing from, seqno, signature or topic");
    }
    if (m.seqno().length != 8) {
      return Optional.of("seqno of " + m.seqno().length + " bytes, expected 8");
    }
    PeerId from;
    try {
      from = PeerId.fromBytes(m.from());
    } catch (IllegalArgumentException e) {
      return Optional.of("from is not a peer id");
    }
    Optional<byte[]> key;
    if (m.key() != null) {
      PeerId ofKey = PeerId.fromPublicKeyProtobuf(m.key());
      if (!ofKey.equals(from)) {
        return Optional.of("key does not match from");
      }
      key = ofKey.ed25519PublicKey();
    } else {
      key = from.ed25519PublicKey();
    }
    if (key.isEmpty()) {
      return Optional.of("not an Ed25519 key (the only kind we verify)");
    }
    if (!Ed25519.verify(key.get(), signedBytes(m), m.signature())) {
      return Optional.of("bad signature");
    }
    return Optional.empty();
  }

  /** The id js gives the message: key protobuf ‖ seqno (call only after {@link #check}). */
  public static MessageId id(Rpc.Message m) {
    byte[] keyProtobuf = m.key() != null ? m.key()
        : PeerId.fromBytes(m.from()).inlinedPublicKey().orElse(m.from());
    return MessageId.of(keyProtobuf, m.seqno());
  }

  private static byte[] signedBytes(Rpc.Message m) {
    byte[] part = m.signedPart();
    byte[] all = Arrays.copyOf(PREFIX, PREFIX.length + part.length);
    System.arraycopy(part, 0, all, PREFIX.length, part.length);
    return all;
  }
}
