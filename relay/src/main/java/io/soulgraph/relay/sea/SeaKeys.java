package io.soulgraph.relay.sea;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * SEA public keys ({@code pub} = JWK {@code x} + "." + JWK {@code y}, each 32 bytes base64url
 * without padding) as BouncyCastle P-256 keys on its fast custom curve (JDK 17's own ECDSA is
 * 8–30× slower, 12× in the median: docs/benchmarks.md, "relay / SEA"). Points not on the curve
 * are refused: an ECDSA verifier fed an invalid point is a known attack surface. Parsed keys are
 * cached (bounded), since one user signs many fields.
 */
final class SeaKeys {

  static final ECDomainParameters P256 = p256();
  private static final Base64.Decoder URL = Base64.getUrlDecoder();

  private final Cache<String, Optional<ECPublicKeyParameters>> cache;

  SeaKeys(long maxKeys) {
    this.cache = Caffeine.newBuilder().maximumSize(maxKeys).build();
  }

  /** The key for a pub, or empty if the pub is not a valid P-256 point. */
  Optional<ECPublicKeyParameters> key(String pub) {
    return cache.get(pub, SeaKeys::parse);
  }

  static Optional<ECPublicKeyParameters> parse(String pub) {
    int dot = pub.indexOf('.');
    if (dot != 43 || pub.length() != 87) {
      return Optional.empty();
    }
    try {
      BigInteger x = coordinate(pub.substring(0, dot));
      BigInteger y = coordinate(pub.substring(dot + 1));
      if (x == null || y == null) {
        return Optional.empty();
      }
      // validatePoint refuses coordinates outside the field and points off the curve
      ECPoint point = P256.getCurve().validatePoint(x, y);
      return Optional.of(new ECPublicKeyParameters(point, P256));
    } catch (IllegalArgumentException invalid) {
      return Optional.empty();
    }
  }

  private static BigInteger coordinate(String base64url) {
    byte[] bytes = URL.decode(base64url);
    return bytes.length == 32 ? new BigInteger(1, bytes) : null;
  }

  private static ECDomainParameters p256() {
    X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
    return new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
  }
}
