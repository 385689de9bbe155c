package io.soulgraph.libp2p;

import io.soulgraph.libp2p.internal.util.Varint;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr, e.g. {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}, in text and binary form.
 * Supported components: {@code ip4, ip6, dns, dns4, dns6, tcp, p2p}.
 */
public final class Multiaddr {
  /** One {@code /name/value} component. The value is kept in its binary form. */
  public record Component(MultiaddrProtocol protocol, byte[] value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return protocol.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "/" + protocol.textName() + "/" + protocol.valueToText(value);
    }
  }

  private final List<Component> components;

  private Multiaddr(List<Component> components) {
    this.components = List.copyOf(components);
  }

  /** @throws IllegalArgumentException on unknown protocols or malformed values */
  public static Multiaddr fromString(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("expected a multiaddr starting with '/' but received "
          + text);
    }
    String[] parts = text.substring(1).split("/", -1);
    List<Component> out = new ArrayList<>();
    for (int i = 0; i < parts.length; i += 2) {
      MultiaddrProtocol p = MultiaddrProtocol.byName(parts[i]);
      if (i + 1 >= parts.length) {
        throw new IllegalArgumentException("multiaddr " + text + " lacks a value for " + parts[i]);
      }
      out.add(new Component(p, p.textToValue(parts[i + 1])));
    }
    return new Multiaddr(out);
  }

  /** @throws IllegalArgumentException on unknown codes or truncated values */
  public static Multiaddr fromBytes(byte[] bytes) {
    int[] pos = {0};
    List<Component> out = new ArrayList<>();
    try {
      while (pos[0] < bytes.length) {
        MultiaddrProtocol p = MultiaddrProtocol.byCode(Varint.read(bytes, pos));
        int len = p.size() >= 0 ? p.size() : (int) Varint.read(bytes, pos);
        if (len < 0 || len > bytes.length - pos[0]) {
          throw new IllegalArgumentException("multiaddr value of " + p.textName()
              + " is truncated");
        }
        byte[] value = Arrays.copyOfRange(bytes, pos[0], pos[0] + len);
        pos[0] += len;
        p.textToValue(p.valueToText(value)); // validates the value
        out.add(new Component(p, value));
      }
    } catch (Libp2pException e) {
      throw new IllegalArgumentException("malformed binary multiaddr: " + e.getMessage(), e);
    }
    return new Multiaddr(out);
  }

  /** {@code /ip4|ip6/<address>/tcp/<port>} for a socket address. */
  public static Multiaddr fromSocketAddress(InetSocketAddress address) {
    String ip = address.getAddress().getHostAddress();
    String family = address.getAddress().getAddress().length == 4 ? "ip4" : "ip6";
    int zone = ip.indexOf('%');
    return fromString("/" + family + "/" + (zone >= 0 ? ip.substring(0, zone) : ip)
        + "/tcp/" + address.getPort());
  }

  /** The components in order. */
  public List<Component> components() {
    return components;
  }

  /** The binary form: each component as varint code, then its (length-prefixed) value. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      Varint.write(out, c.protocol().code());
      if (c.protocol().size() < 0) {
        Varint.write(out, c.value().length);
      }
      out.writeBytes(c.value());
    }
    return out.toByteArray();
  }

  /** The text value of the first component of this protocol, if any. */
  public Optional<String> valueOf(MultiaddrProtocol protocol) {
    return components.stream().filter(c -> c.protocol() == protocol).findFirst()
        .map(c -> protocol.valueToText(c.value()));
  }

  /** The {@code /p2p/} peer id, if present. */
  public Optional<PeerId> peerId() {
    return components.stream().filter(c -> c.protocol() == MultiaddrProtocol.P2P).findFirst()
        .map(c -> PeerId.fromBytes(c.value()));
  }

  /** This address with {@code /p2p/<id>} appended (or replaced). */
  public Multiaddr withPeerId(PeerId id) {
    List<Component> out = new ArrayList<>(withoutPeerId().components);
    out.add(new Component(MultiaddrProtocol.P2P, id.toBytes()));
    return new Multiaddr(out);
  }

  public Multiaddr withoutPeerId() {
    return new Multiaddr(components.stream()
        .filter(c -> c.protocol() != MultiaddrProtocol.P2P).toList());
  }

  /**
   * The TCP endpoint this address names (DNS names are resolved here, which may block).
   *
   * @throws IllegalArgumentException if it has no host or no tcp component
   */
  public InetSocketAddress toSocketAddress() {
    int port = Integer.parseInt(valueOf(MultiaddrProtocol.TCP).orElseThrow(
        () -> new IllegalArgumentException("expected a /tcp/ component in " + this)));
    for (Component c : components) {
      try {
        switch (c.protocol()) {
          case IP4, IP6:
            return new InetSocketAddress(InetAddress.getByAddress(c.value()), port);
          case DNS, DNS4, DNS6:
            return new InetSocketAddress(new String(c.value(), StandardCharsets.UTF_8), port);
          default:
            break;
        }
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bad address in " + this, e);
      }
    }
    throw new IllegalArgumentException("expected an ip4/ip6/dns component in " + this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr m && m.components.equals(components);
  }

  @Override
  public int hashCode() {
    return components.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    components.forEach(sb::append);
    return sb.toString();
  }
}
