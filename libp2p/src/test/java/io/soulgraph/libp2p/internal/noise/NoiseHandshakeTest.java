package io.soulgraph.libp2p.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

final class NoiseHandshakeTest {
  private final Identity alice = Identity.generate();
  private final Identity bob = Identity.generate();

  @Test
  void hkdf_rfc5869TestCase3_matches() {
    // RFC 5869 A.3: no salt (= 32 zero bytes), no info; Noise's HKDF is this with 64 bytes out.
    byte[][] out = NoiseSymmetricState.hkdf(new byte[32], HexFormat.of().parseHex(
        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
    byte[] okm = Arrays.copyOf(out[0], 42);
    System.arraycopy(out[1], 0, okm, 32, 10);
    assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
        + "9d201395faa4b61a96c8", HexFormat.of().formatHex(okm));
  }

  @Test
  void handshake_twoOfOurPeers_learnEachOthersIdsAndShareCiphers() {
    NoiseHandshake i = new NoiseHandshake(true, alice, List.of("/yamux/1.0.0"));
    NoiseHandshake r = new NoiseHandshake(false, bob, List.of());
    byte[] m1 = i.writeMessage1();
    assertEquals(32, m1.length);
    r.readMessage1(m1);
    byte[] m2 = r.writeMessage2();
    i.readMessage2(m2);
    r.readMessage3(i.writeMessage3());
    assertEquals(bob.peerId(), i.result().remotePeer());
    assertEquals(alice.peerId(), r.result().remotePeer());
    assertEquals(List.of(), i.result().remoteMuxers());
    assertEquals(List.of("/yamux/1.0.0"), r.result().remoteMuxers());
    for (int n = 0; n < 3; n++) { // consecutive nonces stay in step
      byte[] msg = ("message " + n).getBytes();
      byte[] ct = i.result().sender().encrypt(new byte[0], msg, 0, msg.length);
      assertEquals(msg.length + 16, ct.length);
      assertArrayEquals(msg, r.result().receiver().decrypt(new byte[0], ct, 0, ct.length));
      byte[] back = r.result().sender().encrypt(new byte[0], msg, 0, msg.length);
      assertArrayEquals(msg, i.result().receiver().decrypt(new byte[0], back, 0, back.length));
    }
  }

  @Test
  void readMessage2_tamperedStaticKey_failsAuthentication() {
    NoiseHandshake i = new NoiseHandshake(true, alice, List.of());
    NoiseHandshake r = new NoiseHandshake(false, bob, List.of());
    r.readMessage1(i.writeMessage1());
    byte[] m2 = r.writeMessage2();
    m2[40] ^= 1;
    assertThrows(BadPeerException.class, () -> i.readMessage2(m2));
  }

  @Test
  void readMessage3_tamperedPayload_failsAuthentication() {
    NoiseHandshake i = new NoiseHandshake(true, alice, List.of());
    NoiseHandshake r = new NoiseHandshake(false, bob, List.of());
    r.readMessage1(i.writeMessage1());
    i.readMessage2(r.writeMessage2());
    byte[] m3 = i.writeMessage3();
    m3[m3.length - 1] ^= 1;
    assertThrows(BadPeerException.class, () -> r.readMessage3(m3));
  }

  @Test
  void decode_payload_roundTripsFieldsInJsOrder() {
    NoisePayload p = new NoisePayload(alice.publicKeyProtobuf(), new byte[64],
        List.of("/yamux/1.0.0", "/mplex/6.7.0"));
    byte[] enc = p.encode();
    assertEquals(0x0a, enc[0]); // field 1 first, then 2, then 4
    NoisePayload back = NoisePayload.decode(enc);
    assertArrayEquals(p.identityKey(), back.identityKey());
    assertEquals(p.muxers(), back.muxers());
  }

  @Test
  void decrypt_replayedMessage_failsAuthentication() {
    NoiseCipherState tx = new NoiseCipherState(new byte[32]);
    NoiseCipherState rx = new NoiseCipherState(new byte[32]);
    byte[] ct = tx.encrypt(new byte[0], new byte[5], 0, 5);
    rx.decrypt(new byte[0], ct, 0, ct.length);
    assertThrows(BadPeerException.class, () -> rx.decrypt(new byte[0], ct, 0, ct.length));
  }
}
