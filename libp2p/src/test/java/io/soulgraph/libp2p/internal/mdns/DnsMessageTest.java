package io.soulgraph.libp2p.internal.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class DnsMessageTest {
  /**
   * A response from {@code @libp2p/mdns} 12.0.32, captured on loopback in a private network
   * namespace: PTR and TXT both in the answers, no additionals, no SRV or A.
   */
  private static final byte[] JS_RESPONSE = HexFormat.of().parseHex(
      "000084000000000200000000045f703270045f756470056c6f63616c00000c00010000007800513f726f6e73"
      + "62707267746f6e6b6a6d7232676f636a36723272697674306136757338333036637073716565767679396c"
      + "7977736f32667466313832693670306e045f703270045f756470056c6f63616c003f726f6e736270726774"
      + "6f6e6b6a6d7232676f636a36723272697674306136757338333036637073716565767679396c7977736f32"
      + "667466313832693670306e045f703270045f756470056c6f63616c000010000100000078005a59646e7361"
      + "6464723d2f6970342f3132372e302e302e312f7463702f33393739312f7032702f313244334b6f6f574c56"
      + "455066574d316b646379366e56314b59705a7657556f504e37704879326a4c61556259484a7335686e44");

  @Test
  void decodesAJsResponse() {
    DnsMessage m = DnsMessage.decode(JS_RESPONSE);
    assertTrue(m.isResponse());
    assertEquals(2, m.answers().size());
    DnsMessage.Record ptr = m.answers().get(0);
    assertEquals("_p2p._udp.local", ptr.name());
    assertEquals(DnsMessage.TYPE_PTR, ptr.type());
    assertTrue(ptr.target().endsWith("._p2p._udp.local"), ptr.target());
    DnsMessage.Record txt = m.answers().get(1);
    assertEquals(DnsMessage.TYPE_TXT, txt.type());
    assertEquals(ptr.target(), txt.name());
    assertEquals("dnsaddr=/ip4/127.0.0.1/tcp/39791/p2p/"
        + "12D3KooWLVEPfWM1kdcy6nV1KYpZvWUoPN7pHy2jLaUbYHJs5hnD",
        new String(txt.strings().get(0), StandardCharsets.UTF_8));
  }

  @Test
  void ourResponse_roundTrips() {
    DnsMessage ours = new DnsMessage(0, DnsMessage.FLAG_RESPONSE, List.of(),
        List.of(DnsMessage.Record.ptr("_p2p._udp.local", 120, "abc._p2p._udp.local")),
        List.of(DnsMessage.Record.txt("abc._p2p._udp.local", 120, List.of("dnsaddr=/x"))));
    DnsMessage back = DnsMessage.decode(ours.encode());
    assertEquals("abc._p2p._udp.local", back.answers().get(0).target());
    assertEquals("dnsaddr=/x",
        new String(back.additionals().get(0).strings().get(0), StandardCharsets.UTF_8));
  }

  @Test
  void mutatedPackets_decodeOrRefuse() {
    qt().withExamples(2000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      byte[] b = JS_RESPONSE.clone();
      for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      }
      if (r.nextBoolean()) {
        b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      }
      try {
        DnsMessage.decode(b);
      } catch (BadPeerException e) {
        // refused
      }
    });
  }
}
