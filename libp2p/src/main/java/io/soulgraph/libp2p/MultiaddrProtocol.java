package io.soulgraph.libp2p;

import io.soulgraph.libp2p.internal.util.Base58;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The multiaddr protocols this module understands, with their multicodec codes. */
public enum MultiaddrProtocol {
  IP4(4, 4, "ip4"),
  TCP(6, 2, "tcp"),
  DNS(53, -1, "dns"),
  DNS4(54, -1, "dns4"),
  DNS6(55, -1, "dns6"),
  IP6(41, 16, "ip6"),
  P2P(421, -1, "p2p");

  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IP4_TEXT = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

  private final int code;
  private final int size;
  private final String textName;

  MultiaddrProtocol(int code, int size, String textName) {
    this.code = code;
    this.size = size;
    this.textName = textName;
  }

  /** The multicodec code of the protocol. */
  public int code() {
    return code;
  }

  /** The fixed value size in bytes, or -1 if the value is varint-length-prefixed. */
  public int size() {
    return size;
  }

  /** The name in text multiaddrs, e.g. {@code tcp}. */
  public String textName() {
    return textName;
  }

  static MultiaddrProtocol byName(String name) {
    for (MultiaddrProtocol p : values()) {
      if (p.textName.equals(name) || (p == P2P && name.equals("ipfs"))) {
        return p;
      }
    }
    throw new IllegalArgumentException("unsupported multiaddr protocol '" + name + "'");
  }

  static MultiaddrProtocol byCode(long code) {
    for (MultiaddrProtocol p : values()) {
      if (p.code == code) {
        return p;
      }
    }
    throw new IllegalArgumentException("unsupported multiaddr protocol code " + code);
  }

  byte[] textToValue(String text) {
    try {
      return switch (this) {
        case IP4 -> {
          if (!IP4_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("expected an IPv4 address but received " + text);
          }
          yield InetAddress.getByName(text).getAddress();
        }
        case IP6 -> {
          if (!text.contains(":")) {
            throw new IllegalArgumentException("expected an IPv6 address but received " + text);
          }
          yield ip6Bytes(InetAddress.getByName(text));
        }
        case TCP -> {
          int port = Integer.parseInt(text);
          if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("expected a port 0..65535 but received " + text);
          }
          yield new byte[] {(byte) (port >> 8), (byte) port};
        }
        case DNS, DNS4, DNS6 -> {
          if (text.isEmpty()) {
            throw new IllegalArgumentException("expected a DNS name but received nothing");
          }
          yield text.getBytes(StandardCharsets.UTF_8);
        }
        case P2P -> PeerId.fromBase58(text).toBytes();
      };
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("bad /" + textName + "/ value '" + text + "'", e);
    }
  }

  String valueToText(byte[] value) {
    try {
      return switch (this) {
        case IP4, IP6 -> {
          if (value.length != size) {
            throw new IllegalArgumentException("bad " + textName + " length " + value.length);
          }
          yield this == IP4 ? InetAddress.getByAddress(value).getHostAddress() : ip6Text(value);
        }
        case TCP -> String.valueOf(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
        case DNS, DNS4, DNS6 -> new String(value, StandardCharsets.UTF_8);
        case P2P -> PeerId.fromBytes(value).toBase58();
      };
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad " + textName + " value", e);
    }
  }

  /** RFC 5952 text: lower-case hex, the longest run (of 2+) of zero groups as "::". */
  private static String ip6Text(byte[] v) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((v[2 * i] & 0xFF) << 8) | (v[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static byte[] ip6Bytes(InetAddress a) {
    if (a instanceof Inet6Address) {
      return a.getAddress();
    }
    // Java maps "::ffff:1.2.3.4" to an Inet4Address; keep the 16-byte IPv6 form.
    byte[] out = new byte[16];
    out[10] = (byte) 0xFF;
    out[11] = (byte) 0xFF;
    System.arraycopy(a.getAddress(), 0, out, 12, 4);
    return out;
  }
}
