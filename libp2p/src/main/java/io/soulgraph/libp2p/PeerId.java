package io.soulgraph.libp2p;

import io.soulgraph.libp2p.internal.util.Base58;
import io.soulgraph.libp2p.internal.util.Protobuf;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer id: a multihash of the peer's public key protobuf. Ed25519 keys (36 bytes of
 * protobuf) are short enough to be inlined with the identity multihash, which is why their text
 * form starts with {@code 12D3KooW}. Longer keys are hashed with sha2-256 ({@code Qm...}).
 */
public final class PeerId {
  private static final int IDENTITY = 0x00;
  private static final int SHA2_256 = 0x12;
  private static final int MAX_INLINE_KEY = 42;

  private final byte[] multihash;

  private PeerId(byte[] multihash) {
    this.multihash = multihash;
  }

  /** The peer id of a serialised libp2p {@code PublicKey} protobuf. */
  public static PeerId fromPublicKeyProtobuf(byte[] publicKey) {
    if (publicKey.length <= MAX_INLINE_KEY) {
      byte[] mh = new byte[2 + publicKey.length];
      mh[0] = IDENTITY;
      mh[1] = (byte) publicKey.length;
      System.arraycopy(publicKey, 0, mh, 2, publicKey.length);
      return new PeerId(mh);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
      byte[] mh = new byte[34];
      mh[0] = SHA2_256;
      mh[1] = 32;
      System.arraycopy(digest, 0, mh, 2, 32);
      return new PeerId(mh);
    } catch (NoSuchAlgorithmException e) {
      throw new Libp2pException.InternalErrorException("SHA-256 is not available", e);
    }
  }

  /**
   * Parses the binary multihash form.
   *
   * @throws IllegalArgumentException if it is not an identity or sha2-256 multihash
   */
  public static PeerId fromBytes(byte[] multihash) {
    boolean identity = multihash.length >= 2 && multihash[0] == IDENTITY
        && (multihash[1] & 0xFF) == multihash.length - 2 && multihash.length - 2 <= MAX_INLINE_KEY;
    boolean sha = multihash.length == 34 && multihash[0] == SHA2_256 && multihash[1] == 32;
    if (!identity && !sha) {
      throw new IllegalArgumentException(
          "expected an identity or sha2-256 multihash but received " + multihash.length
              + " bytes starting with " + (multihash.length > 0 ? multihash[0] : "nothing"));
    }
    return new PeerId(multihash.clone());
  }

  /** Parses the base58btc text form, e.g. {@code 12D3KooW...}. */
  public static PeerId fromBase58(String text) {
    return fromBytes(Base58.decode(text));
  }

  /** The binary multihash, as carried in {@code /p2p/} multiaddr components. */
  public byte[] toBytes() {
    return multihash.clone();
  }

  /** The usual text form, base58btc without a multibase prefix. */
  public String toBase58() {
    return Base58.encode(multihash);
  }

  /** The public key protobuf inlined in an identity-multihash id, if this is one. */
  public Optional<byte[]> inlinedPublicKey() {
    if (multihash[0] != IDENTITY) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(multihash, 2, multihash.length));
  }

  /** The raw Ed25519 key inlined in this id, if it is an Ed25519 identity id. */
  public Optional<byte[]> ed25519PublicKey() {
    return inlinedPublicKey().flatMap(pb -> {
      Object[] typeAndData = new Object[2];
      Protobuf.parse(pb, (f, v) -> {
        if (f == 1 || f == 2) {
          typeAndData[f - 1] = v;
        }
      });
      return Long.valueOf(1).equals(typeAndData[0]) && typeAndData[1] instanceof byte[] b
          && b.length == 32 ? Optional.of(b) : Optional.empty();
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId p && Arrays.equals(multihash, p.multihash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(multihash);
  }

  @Override
  public String toString() {
    return toBase58();
  }
}
