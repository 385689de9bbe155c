package io.soulgraph.libp2p.internal.noise;

import io.soulgraph.libp2p.Libp2pException.InternalErrorException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise SymmetricState (Noise spec §5.2) for {@code Noise_XX_25519_ChaChaPoly_SHA256}:
 * the chaining key {@code ck}, the handshake hash {@code h}, and the current handshake cipher.
 */
final class NoiseSymmetricState {
  static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";

  private byte[] ck;
  private byte[] h;
  private NoiseCipherState cipher;

  NoiseSymmetricState() {
    // The name is exactly HASHLEN (32) bytes, so h is the name itself, not its hash.
    h = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII);
    ck = h.clone();
    mixHash(new byte[0]); // the (empty) prologue is still mixed in
  }

  void mixHash(byte[] data) {
    h = sha256(h, data);
  }

  void mixKey(byte[] ikm) {
    byte[][] out = hkdf(ck, ikm);
    ck = out[0];
    cipher = new NoiseCipherState(out[1]);
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ct = cipher == null ? plaintext : cipher.encrypt(h, plaintext, 0, plaintext.length);
    mixHash(ct);
    return ct;
  }

  byte[] decryptAndHash(byte[] ciphertext) {
    byte[] pt = cipher == null ? ciphertext
        : cipher.decrypt(h, ciphertext, 0, ciphertext.length);
    mixHash(ciphertext);
    return pt;
  }

  /** Split(): the initiator sends with the first state and receives with the second. */
  NoiseCipherState[] split() {
    byte[][] out = hkdf(ck, new byte[0]);
    return new NoiseCipherState[] {new NoiseCipherState(out[0]), new NoiseCipherState(out[1])};
  }

  boolean hasKey() {
    return cipher != null;
  }

  /** Noise's HKDF with two outputs, which is RFC 5869 HKDF with empty info. */
  static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
    byte[] tempKey = hmac(chainingKey, ikm);
    byte[] out1 = hmac(tempKey, new byte[] {1});
    byte[] in2 = new byte[out1.length + 1];
    System.arraycopy(out1, 0, in2, 0, out1.length);
    in2[out1.length] = 2;
    return new byte[][] {out1, hmac(tempKey, in2)};
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new InternalErrorException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] sha256(byte[] a, byte[] b) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(a);
      md.update(b);
      return md.digest();
    } catch (GeneralSecurityException e) {
      throw new InternalErrorException("SHA-256 is not available", e);
    }
  }
}
