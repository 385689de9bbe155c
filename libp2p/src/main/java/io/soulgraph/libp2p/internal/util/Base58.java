package io.soulgraph.libp2p.internal.util;

import java.math.BigInteger;
import java.util.Arrays;

/** Bitcoin's base58 alphabet (multibase {@code base58btc}), used for peer ids. */
public final class Base58 {
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);

  private Base58() {}

  public static String encode(byte[] data) {
    StringBuilder sb = new StringBuilder();
    BigInteger n = new BigInteger(1, data);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(BASE);
      sb.append(ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    // Each leading zero byte is one leading '1'; BigInteger drops them.
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  /** @throws IllegalArgumentException on a character outside the alphabet */
  public static byte[] decode(String text) {
    BigInteger n = BigInteger.ZERO;
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') {
      zeros++;
    }
    for (int i = 0; i < text.length(); i++) {
      int digit = ALPHABET.indexOf(text.charAt(i));
      if (digit < 0) {
        throw new IllegalArgumentException(
            "expected a base58btc character but received '" + text.charAt(i) + "'");
      }
      n = n.multiply(BASE).add(BigInteger.valueOf(digit));
    }
    byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
    if (mag.length > 0 && mag[0] == 0) {
      mag = Arrays.copyOfRange(mag, 1, mag.length);
    }
    byte[] out = new byte[zeros + mag.length];
    System.arraycopy(mag, 0, out, zeros, mag.length);
    return out;
  }
}
