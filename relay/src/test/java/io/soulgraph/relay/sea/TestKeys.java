package io.soulgraph.relay.sea;

import io.soulgraph.ham.JsJson;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** A SEA signing pair made with the JDK, signing fields exactly as SEA does. */
record TestKeys(KeyPair pair, String pub) {

  static TestKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      ECPublicKey key = (ECPublicKey) pair.getPublic();
      String pub = b64url(key.getW().getAffineX()) + "." + b64url(key.getW().getAffineY());
      return new TestKeys(pair, pub);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64url(BigInteger coordinate) {
    byte[] raw = coordinate.toByteArray();
    byte[] fixed = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }

  /** The base64 P1363 signature over SEA's signed text of the field. */
  String signature(String soul, String key, String valueJson, double state) {
    return sign(SeaSignature.signedText(soul, key, valueJson, state));
  }

  /** SEA's signature over a text: ECDSA P-256/SHA-256 of its SHA-256, P1363, base64. */
  String sign(String text) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(pair.getPrivate());
      signer.update(SeaSignature.digest(text));
      return Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A certificate as {@code SEA.certify} makes it: {@code {"m": data, "s": signature}} with the
   * data's JSON text (as written) signed.
   */
  String certificate(String dataJson) {
    return "{\"m\":" + dataJson + ",\"s\":" + JsJson.quote(sign(dataJson)) + "}";
  }

  /**
   * This key's signed write into another user's space: the envelope with the certificate
   * ({@code "+"}) and this writer's pub ({@code "*"}).
   */
  String certifiedEnvelope(String soul, String key, String valueJson, double state,
      String certificate) {
    return "{\":\":" + valueJson + ",\"~\":" + JsJson.quote(signature(soul, key, valueJson, state))
        + ",\"+\":" + certificate + ",\"*\":" + JsJson.quote(pub) + "}";
  }

  /** The wire value {@code {":": value, "~": signature}} (a JSON string). */
  String envelope(String soul, String key, String valueJson, double state) {
    return envelopeOf(valueJson, signature(soul, key, valueJson, state));
  }

  static String envelopeOf(String valueJson, String signature) {
    return "{\":\":" + valueJson + ",\"~\":" + JsJson.quote(signature) + "}";
  }

  static String flipByte(String signatureBase64, int index) {
    byte[] raw = Base64.getDecoder().decode(signatureBase64);
    byte[] copy = Arrays.copyOf(raw, raw.length);
    copy[Math.floorMod(index, copy.length)] ^= 0x01;
    return Base64.getEncoder().encodeToString(copy);
  }
}
