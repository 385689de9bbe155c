package io.soulgraph.libp2p.internal.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Ed25519 (RFC 8032, pure) on raw 32-byte seeds and public keys, with BouncyCastle's lightweight
 * {@code org.bouncycastle.math.ec.rfc8032.Ed25519}. JDK 17's EdDSA provider is pure Java over
 * generic field arithmetic and took 4-7 ms per signature on the shared 2-core build machine,
 * which capped gossipsub at one or two hundred messages a second; BouncyCastle's fixed-limb
 * arithmetic and precomputed base-point tables are one to two orders of magnitude faster and
 * sign byte-for-byte the same (Ed25519 signatures are deterministic).
 */
public final class Ed25519 {
  public static final int SEED_SIZE = org.bouncycastle.math.ec.rfc8032.Ed25519.SECRET_KEY_SIZE;
  public static final int PUBLIC_KEY_SIZE =
      org.bouncycastle.math.ec.rfc8032.Ed25519.PUBLIC_KEY_SIZE;
  public static final int SIGNATURE_SIZE = org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE;

  private Ed25519() {}

  /** A key pair as raw bytes: the 32-byte seed (private key) and the 32-byte public key. */
  public record RawKeyPair(byte[] seed, byte[] publicKey) {}

  /** Derives the public key from a seed. */
  public static RawKeyPair fromSeed(byte[] seed) {
    checkSeed(seed);
    byte[] publicKey = new byte[PUBLIC_KEY_SIZE];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    return new RawKeyPair(seed.clone(), publicKey);
  }

  public static RawKeyPair generate() {
    byte[] seed = new byte[SEED_SIZE];
    new SecureRandom().nextBytes(seed);
    return fromSeed(seed);
  }

  /** Signs with the seed alone: derives the public key first (a second scalar multiplication). */
  public static byte[] sign(byte[] seed, byte[] message) {
    checkSeed(seed);
    byte[] signature = new byte[SIGNATURE_SIZE];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, message, 0, message.length,
        signature, 0);
    return signature;
  }

  /**
   * Signs with a seed and its public key (as {@link #fromSeed} returned them), which saves
   * deriving the public key again on every signature.
   */
  public static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
    checkSeed(seed);
    if (publicKey.length != PUBLIC_KEY_SIZE) {
      throw new IllegalArgumentException("expected a 32-byte public key but received "
          + publicKey.length);
    }
    byte[] signature = new byte[SIGNATURE_SIZE];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, publicKey, 0, message, 0,
        message.length, signature, 0);
    return signature;
  }

  /** @return false for a bad signature or a malformed key, never throws on peer input */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || message == null || signature == null
        || publicKey.length != PUBLIC_KEY_SIZE || signature.length != SIGNATURE_SIZE) {
      return false;
    }
    try {
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message,
          0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void checkSeed(byte[] seed) {
    if (seed.length != SEED_SIZE) {
      throw new IllegalArgumentException("expected a 32-byte seed but received " + seed.length);
    }
  }
}
