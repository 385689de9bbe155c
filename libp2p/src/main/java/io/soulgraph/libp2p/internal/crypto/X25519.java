package io.soulgraph.libp2p.internal.crypto;

import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.Libp2pException.InternalErrorException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;

/** X25519 Diffie-Hellman for Noise, with raw 32-byte public keys on the wire. */
public final class X25519 {
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");

  private final PrivateKey privateKey;
  private final byte[] publicKey;

  private X25519(PrivateKey privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  public static X25519 generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
      byte[] spki = pair.getPublic().getEncoded();
      return new X25519(pair.getPrivate(), Arrays.copyOfRange(spki, 12, 44));
    } catch (GeneralSecurityException e) {
      throw new InternalErrorException("X25519 is not available", e);
    }
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** DH(this, remote). @throws BadPeerException for a malformed or low-order remote key */
  public byte[] agree(byte[] remotePublic) {
    if (remotePublic.length != 32) {
      throw new BadPeerException("expected a 32-byte X25519 key but received "
          + remotePublic.length);
    }
    try {
      KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(privateKey);
      ka.doPhase(KeyFactory.getInstance("X25519").generatePublic(
          new X509EncodedKeySpec(Ed25519.concat(SPKI_PREFIX, remotePublic))), true);
      return ka.generateSecret();
    } catch (GeneralSecurityException e) {
      // The JDK refuses small-order points (all-zero shared secret): that is the peer's fault.
      throw new BadPeerException("X25519 agreement failed: " + e.getMessage(), e);
    }
  }
}
