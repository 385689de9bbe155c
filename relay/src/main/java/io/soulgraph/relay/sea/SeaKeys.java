package io.soulgraph.relay.sea;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.Base64;
import java.util.Optional;

/**
 * SEA public keys ({@code pub} = JWK {@code x} + "." + JWK {@code y}, each 32 bytes base64url
 * without padding) as JDK P-256 keys. Points not on the curve are refused: an ECDSA verifier fed
 * an invalid point is a known attack surface. Parsed keys are cached (bounded), since one user
 * signs many fields.
 */
final class SeaKeys {

  private static final ECParameterSpec P256 = p256();
  private static final BigInteger P = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
  private static final Base64.Decoder URL = Base64.getUrlDecoder();

  private final Cache<String, Optional<PublicKey>> cache;

  SeaKeys(long maxKeys) {
    this.cache = Caffeine.newBuilder().maximumSize(maxKeys).build();
  }

  /** The key for a pub, or empty if the pub is not a valid P-256 point. */
  Optional<PublicKey> key(String pub) {
    return cache.get(pub, SeaKeys::parse);
  }

  static Optional<PublicKey> parse(String pub) {
    int dot = pub.indexOf('.');
    if (dot != 43 || pub.length() != 87) {
      return Optional.empty();
    }
    try {
      BigInteger x = coordinate(pub.substring(0, dot));
      BigInteger y = coordinate(pub.substring(dot + 1));
      if (x == null || y == null || !onCurve(x, y)) {
        return Optional.empty();
      }
      return Optional.of(
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256)));
    } catch (GeneralSecurityException | IllegalArgumentException invalid) {
      return Optional.empty();
    }
  }

  private static BigInteger coordinate(String base64url) {
    byte[] bytes = URL.decode(base64url);
    return bytes.length == 32 ? new BigInteger(1, bytes) : null;
  }

  private static boolean onCurve(BigInteger x, BigInteger y) {
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
      return false;
    }
    EllipticCurve curve = P256.getCurve();
    BigInteger left = y.multiply(y).mod(P);
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(P);
    return left.equals(right);
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException missing) {
      throw new IllegalStateException("This JDK has no P-256 (secp256r1) support", missing);
    }
  }
}
