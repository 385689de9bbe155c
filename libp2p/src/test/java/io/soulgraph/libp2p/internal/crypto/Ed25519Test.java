package io.soulgraph.libp2p.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] PKCS8_PREFIX = HEX.parseHex("302e020100300506032b657004220420");
  private static final byte[] SPKI_PREFIX = HEX.parseHex("302a300506032b6570032100");

  /** RFC 8032 §7.1, TEST 1 to 3: secret key, public key, message, signature. */
  @ParameterizedTest
  @CsvSource({
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
          + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a,,"
          + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
          + "39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
          + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c,72,"
          + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f"
          + "3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
      "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7,"
          + "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025,af82,"
          + "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67"
          + "f760984dc6594a7c15e9716ed28dc027beceea1ec40a"})
  void rfc8032TestVectors(String seedHex, String publicHex, String messageHex, String sigHex) {
    byte[] seed = HEX.parseHex(seedHex);
    byte[] message = messageHex == null ? new byte[0] : HEX.parseHex(messageHex);
    byte[] publicKey = HEX.parseHex(publicHex);
    byte[] expected = HEX.parseHex(sigHex);

    assertArrayEquals(publicKey, Ed25519.fromSeed(seed).publicKey());
    assertArrayEquals(expected, Ed25519.sign(seed, message));
    assertArrayEquals(expected, Ed25519.sign(seed, publicKey, message));
    assertTrue(Ed25519.verify(publicKey, message, expected));
  }

  /** The JDK provider we replaced must agree byte for byte, both ways. */
  @Test
  void agreesWithTheJdkProvider() throws Exception {
    Random random = new Random(8032);
    KeyFactory keys = KeyFactory.getInstance("Ed25519");
    for (int i = 0; i < 50; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] message = new byte[random.nextInt(2048)];
      random.nextBytes(message);

      PrivateKey jdkPrivate = keys.generatePrivate(
          new PKCS8EncodedKeySpec(Ed25519.concat(PKCS8_PREFIX, seed)));
      Signature jdkSign = Signature.getInstance("Ed25519");
      jdkSign.initSign(jdkPrivate);
      jdkSign.update(message);
      byte[] jdkSignature = jdkSign.sign();

      Ed25519.RawKeyPair ours = Ed25519.fromSeed(seed);
      assertArrayEquals(jdkSignature, Ed25519.sign(seed, ours.publicKey(), message));

      PublicKey jdkPublic = keys.generatePublic(
          new X509EncodedKeySpec(Ed25519.concat(SPKI_PREFIX, ours.publicKey())));
      Signature jdkVerify = Signature.getInstance("Ed25519");
      jdkVerify.initVerify(jdkPublic);
      jdkVerify.update(message);
      assertTrue(jdkVerify.verify(jdkSignature), "the JDK accepts our public key's signature");
      assertTrue(Ed25519.verify(ours.publicKey(), message, jdkSignature));
    }
  }

  @Test
  void rejectsTamperedInputWithoutThrowing() {
    Ed25519.RawKeyPair pair = Ed25519.generate();
    byte[] message = "libp2p-pubsub:hello".getBytes();
    byte[] signature = Ed25519.sign(pair.seed(), message);
    assertTrue(Ed25519.verify(pair.publicKey(), message, signature));

    byte[] flippedSignature = signature.clone();
    flippedSignature[5] ^= 1;
    assertFalse(Ed25519.verify(pair.publicKey(), message, flippedSignature));
    byte[] flippedMessage = message.clone();
    flippedMessage[0] ^= 1;
    assertFalse(Ed25519.verify(pair.publicKey(), flippedMessage, signature));
    assertFalse(Ed25519.verify(Ed25519.generate().publicKey(), message, signature));

    byte[] sBeyondOrder = signature.clone();
    java.util.Arrays.fill(sBeyondOrder, 32, 64, (byte) 0xff); // S >= L is never valid
    assertFalse(Ed25519.verify(pair.publicKey(), message, sBeyondOrder));
    byte[] notAPoint = new byte[32];
    java.util.Arrays.fill(notAPoint, (byte) 0xff);
    assertFalse(Ed25519.verify(notAPoint, message, signature));
    assertFalse(Ed25519.verify(new byte[31], message, signature));
    assertFalse(Ed25519.verify(pair.publicKey(), message, new byte[63]));
    assertFalse(Ed25519.verify(pair.publicKey(), message, new byte[64]));
  }

  @Test
  void rejectsSeedsOfTheWrongLength() {
    assertThrows(IllegalArgumentException.class, () -> Ed25519.fromSeed(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> Ed25519.sign(new byte[33], new byte[1]));
  }
}
