package io.soulgraph.libp2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

final class MultiaddrTest {
  private static final String PEER = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

  @ParameterizedTest
  @ValueSource(strings = {
      "/ip4/127.0.0.1/tcp/4001",
      "/ip4/0.0.0.0/tcp/0",
      "/ip6/::1/tcp/4001",
      "/ip6/2001:db8::ff00:42:8329/tcp/65535",
      "/ip6/fe80::1:0:0:1/tcp/1",
      "/dns4/example.com/tcp/443",
      "/dns6/example.com/tcp/443",
      "/dns/relay.soulgraph.io/tcp/4001/p2p/" + PEER,
      "/ip4/10.1.2.3/tcp/4001/p2p/" + PEER,
      "/p2p/" + PEER,
  })
  void fromString_canonicalText_roundTripsThroughTextAndBytes(String text) {
    Multiaddr m = Multiaddr.fromString(text);
    assertEquals(text, m.toString());
    assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
    assertEquals(text, Multiaddr.fromBytes(m.toBytes()).toString());
  }

  @Test
  void toBytes_ip4Tcp_matchesMultiformatsEncoding() {
    // 04 = ip4, 7f000001, 06 = tcp, 0fa1 = 4001
    assertEquals("047f000001060fa1",
        HexFormat.of().formatHex(Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001").toBytes()));
    // a5 03 = 421 (p2p) as a varint, then the length-prefixed multihash
    byte[] b = Multiaddr.fromString("/p2p/" + PEER).toBytes();
    assertEquals("a50326", HexFormat.of().formatHex(b, 0, 3));
  }

  @Test
  void peerId_andWithPeerId_addAndReadTheP2pComponent() {
    Multiaddr base = Multiaddr.fromString("/ip4/127.0.0.1/tcp/1");
    PeerId id = PeerId.fromBase58(PEER);
    Multiaddr full = base.withPeerId(id);
    assertEquals(id, full.peerId().orElseThrow());
    assertEquals(base, full.withoutPeerId());
    assertEquals(new InetSocketAddress("127.0.0.1", 1), full.toSocketAddress());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ip4/1.2.3.4", "/ip4/1.2.3", "/ip4/256.0.0.1/tcp/1",
      "/tcp/70000", "/ip4/1.2.3.4/tcp", "/udp/1", "/ip6/1.2.3.4/tcp/1", "/p2p/nope"})
  void fromString_malformed_throwsIllegalArgument(String text) {
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromString(text));
  }

  @Test
  void fromBytes_truncatedOrUnknown_throwsIllegalArgument() {
    byte[] ok = Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001").toBytes();
    assertThrows(IllegalArgumentException.class,
        () -> Multiaddr.fromBytes(java.util.Arrays.copyOf(ok, ok.length - 1)));
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(new byte[] {0x7f}));
    assertArrayEquals(ok, Multiaddr.fromBytes(ok).toBytes());
  }
}
