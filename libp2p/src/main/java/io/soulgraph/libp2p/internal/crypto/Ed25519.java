package io.soulgraph.libp2p.internal.crypto;

import io.soulgraph.libp2p.Libp2pException.InternalErrorException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/** Ed25519 with the JDK 17 provider, converting between raw 32-byte keys and JDK keys. */
public final class Ed25519 {
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  private Ed25519() {}

  /** A key pair as raw bytes: the 32-byte seed (private key) and the 32-byte public key. */
  public record RawKeyPair(byte[] seed, byte[] publicKey) {}

  /**
   * Derives the public key from a seed. The JDK has no direct API for that, but its generator
   * draws exactly 32 bytes from the random source as the seed, so we hand it a source that
   * returns ours.
   */
  public static RawKeyPair fromSeed(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("expected a 32-byte seed but received " + seed.length);
    }
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
      gen.initialize(255, new FixedRandom(seed));
      KeyPair pair = gen.generateKeyPair();
      byte[] spki = pair.getPublic().getEncoded();
      return new RawKeyPair(seed.clone(), Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    } catch (GeneralSecurityException e) {
      throw new InternalErrorException("Ed25519 is not available", e);
    }
  }

  public static RawKeyPair generate() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return fromSeed(seed);
  }

  public static byte[] sign(byte[] seed, byte[] message) {
    try {
      PrivateKey key = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new InternalErrorException("Ed25519 signing failed", e);
    }
  }

  /** @return false for a bad signature or a malformed key, never throws on peer input */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != 32 || signature.length != 64) {
      return false;
    }
    try {
      PublicKey key = KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, publicKey)));
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A "random" source that yields one fixed seed; only used to derive a key pair. */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("expected a 32-byte draw but received " + bytes.length);
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
    }
  }
}
