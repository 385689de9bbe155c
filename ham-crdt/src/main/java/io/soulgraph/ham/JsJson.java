package io.soulgraph.ham;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * JSON text exactly as JavaScript's {@code JSON.stringify} writes strings and numbers.
 *
 * <p>HAM breaks equal-state ties by comparing JSON texts, so one byte of difference from
 * JavaScript is a divergence between a Java and a JavaScript replica. Two traps that general JSON
 * libraries fall into: control characters must be escaped with <em>lowercase</em> hex, and numbers
 * follow ECMAScript's {@code Number::toString} (shortest round-tripping digits, plain notation for
 * {@code 1e-7 <= |x| < 1e21}, otherwise {@code 1e+21} / {@code 5e-324}); JDK 17's
 * {@code Double.toString} is not always shortest, so the digits are searched for here.
 */
public final class JsJson {

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private JsJson() {}

  /** {@code JSON.stringify(s)} for a string: quoted and escaped as ECMAScript specifies. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2);
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            appendUnicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * The string {@link #quote} wrote {@code json} from: the inverse of {@code quote}, for its output
   * only (a quoted string with the escapes it writes; {@code \\/} too).
   */
  static String unquote(String json) {
    int end = json.length() - 1;
    int escape = json.indexOf('\\', 1);
    if (escape < 0) {
      return json.substring(1, end);
    }
    StringBuilder out = new StringBuilder(end - 1);
    out.append(json, 1, escape);
    for (int i = escape; i < end; i++) {
      char c = json.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char kind = json.charAt(++i);
      switch (kind) {
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(json, i + 1, i + 5, 16));
          i += 4;
        }
        default -> out.append(kind); // \" \\ \/
      }
    }
    return out.toString();
  }

  /** {@code JSON.stringify(x)} for a number: ECMAScript Number::toString; non-finite is "null". */
  public static String number(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return "null";
    }
    if (x == 0) {
      return "0"; // -0 prints as 0 in JavaScript
    }
    if (x == Math.rint(x) && Math.abs(x) <= MAX_SAFE_INTEGER) {
      return Long.toString((long) x);
    }
    String fewDecimals = fewDecimals(x);
    if (fewDecimals != null) {
      return fewDecimals;
    }
    BigDecimal digits = shortestRoundTrip(x);
    String significand = digits.unscaledValue().abs().toString();
    return format(x < 0, significand, digits.precision() - digits.scale());
  }

  /**
   * The fast path for numbers with up to 17 decimals whose binary exponent is moderate (GunDB
   * states {@code t + N/999}, prices), in exact integer arithmetic. With |x| = M / 2^e, the
   * decimals with j fraction digits nearest to x are q / 10^j and (q + 1) / 10^j for
   * q = floor(M * 5^j / 2^(e - j)); one parses back to x iff it lies within half an ulp
   * (1 / 2^(e+1)) of it, which the remainder r of that division decides exactly: 2r &lt; 5^j for
   * q, 2(2^(e-j) - r) &lt; 5^j for q + 1 (5^j is odd, so no decimal sits exactly on the edge).
   * The first j with such a decimal gives ECMAScript's shortest digits; if both qualify, the
   * closer (then the even) one is its choice. Returns null where this does not apply (powers of
   * two, whose interval is lopsided; subnormals; very small or large exponents): the exact search
   * then decides.
   */
  private static String fewDecimals(double x) {
    long bits = Double.doubleToRawLongBits(x) & Long.MAX_VALUE;
    int biasedExponent = (int) (bits >>> 52);
    long fraction = bits & ((1L << 52) - 1);
    if (biasedExponent == 0 || fraction == 0) {
      return null;
    }
    long mantissa = fraction | (1L << 52);
    int e = 1075 - biasedExponent; // |x| = mantissa / 2^e
    long fivePower = 1;
    for (int j = 1; j <= 17; j++) {
      fivePower *= 5;
      int shift = e - j;
      if (shift < 1 || shift > 62) {
        return null;
      }
      long high = Math.multiplyHigh(mantissa, fivePower);
      long low = mantissa * fivePower;
      if ((high >>> (shift - 1)) != 0) {
        return null; // q would not fit in a long: more than 17 digits
      }
      long q = (high << (64 - shift)) | (low >>> shift);
      long r = low & ((1L << shift) - 1);
      boolean floorFits = 2 * r < fivePower;
      boolean ceilingFits = r != 0 && 2 * ((1L << shift) - r) < fivePower;
      if (floorFits || ceilingFits) {
        boolean ceiling = ceilingFits && (!floorFits
            || 2 * r > (1L << shift) || (2 * r == (1L << shift) && (q & 1) == 1));
        String digits = Long.toString(ceiling ? q + 1 : q);
        return format(x < 0, digits, digits.length() - j);
      }
    }
    return null;
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }

  /**
   * The decimal with the fewest significant digits that parses back to {@code x}, and of those
   * the closest to {@code x} (ECMAScript Number::toString step 5). Any round-tripping decimal of
   * p digits lies between x rounded down and x rounded up to p digits, so those two are the only
   * candidates per length; round-tripping is monotone in p, so the length is found by bisection.
   */
  private static BigDecimal shortestRoundTrip(double x) {
    BigDecimal exact = new BigDecimal(x);
    int low = 1;
    int high = 17; // 17 significant digits always round-trip a double
    BigDecimal best = closestRoundTripping(exact, x, high);
    while (low < high) {
      int mid = (low + high) >>> 1;
      BigDecimal candidate = closestRoundTripping(exact, x, mid);
      if (candidate != null) {
        best = candidate;
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return best.stripTrailingZeros();
  }

  private static BigDecimal closestRoundTripping(BigDecimal exact, double x, int precision) {
    BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
    BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
    boolean downOk = down.doubleValue() == x;
    boolean upOk = up.doubleValue() == x;
    if (downOk && upOk) {
      int cmp = exact.subtract(down).compareTo(up.subtract(exact));
      if (cmp != 0) {
        return cmp < 0 ? down : up;
      }
      return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
    }
    return downOk ? down : upOk ? up : null;
  }

  /** ECMAScript Number::toString steps 6-10, given digits s (k of them) and exponent n. */
  private static String format(boolean negative, String s, int n) {
    int k = s.length();
    StringBuilder out = new StringBuilder(k + 8);
    if (negative) {
      out.append('-');
    }
    if (k <= n && n <= 21) {
      out.append(s).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(s, 0, n).append('.').append(s, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(s);
    } else {
      int e = n - 1;
      out.append(s.charAt(0));
      if (k > 1) {
        out.append('.').append(s, 1, k);
      }
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return out.toString();
  }
}
