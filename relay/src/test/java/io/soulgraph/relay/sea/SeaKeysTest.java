package io.soulgraph.relay.sea;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Public keys from the wire: only points on P-256 become keys (invalid points are an attack). */
final class SeaKeysTest {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  @Test
  void parse_pointOnTheCurve_isAKey() {
    assertTrue(SeaKeys.parse(TestKeys.generate().pub()).isPresent());
  }

  @Test
  void parse_pointOffTheCurveOrOutsideTheField_refused() {
    String pub = TestKeys.generate().pub();
    byte[] y = Base64.getUrlDecoder().decode(pub.substring(44));
    y[31] ^= 1;
    assertFalse(SeaKeys.parse(pub.substring(0, 44) + URL.encodeToString(y)).isPresent(), "off the curve");
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff); // above the field prime
    assertFalse(SeaKeys.parse(URL.encodeToString(ones) + "." + pub.substring(44)).isPresent());
    assertFalse(SeaKeys.parse(pub.substring(0, 43)).isPresent(), "one coordinate");
    assertFalse(SeaKeys.parse(pub.replace('.', '!')).isPresent());
  }
}
