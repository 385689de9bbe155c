package io.soulgraph.libp2p.internal.noise;

import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.Libp2pException.InternalErrorException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState: ChaCha20-Poly1305 with key {@code k} and the counter nonce {@code n}
 * (4 zero bytes, then n as 64-bit little-endian). One instance per direction.
 *
 * <p>The Cipher object is reused: nonces strictly increase, so JDK 17's "same key and nonce as
 * the previous init" check never fires.
 */
public final class NoiseCipherState {
  public static final int TAG_LENGTH = 16;

  private final SecretKeySpec key;
  private final Cipher cipher;
  private long nonce;

  public NoiseCipherState(byte[] key) {
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new InternalErrorException("ChaCha20-Poly1305 is not available", e);
    }
  }

  public byte[] encrypt(byte[] ad, byte[] plaintext, int offset, int length) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
      if (ad.length > 0) {
        cipher.updateAAD(ad);
      }
      return cipher.doFinal(plaintext, offset, length);
    } catch (GeneralSecurityException e) {
      throw new InternalErrorException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  /** @throws BadPeerException if the tag does not verify (tampered or out of order) */
  public byte[] decrypt(byte[] ad, byte[] ciphertext, int offset, int length) {
    if (length < TAG_LENGTH) {
      throw new BadPeerException("Noise ciphertext of " + length + " bytes is shorter than a tag");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
      if (ad.length > 0) {
        cipher.updateAAD(ad);
      }
      return cipher.doFinal(ciphertext, offset, length);
    } catch (AEADBadTagException e) {
      throw new BadPeerException("Noise message failed authentication", e);
    } catch (GeneralSecurityException e) {
      throw new InternalErrorException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  private IvParameterSpec nextNonce() {
    if (nonce == -1L) {
      throw new BadPeerException("Noise nonce exhausted");
    }
    long n = nonce++;
    byte[] iv = new byte[12];
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (n >>> (8 * i));
    }
    return new IvParameterSpec(iv);
  }
}
