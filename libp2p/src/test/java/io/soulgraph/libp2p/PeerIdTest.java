package io.soulgraph.libp2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PeerIdTest {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8032 §7.1 TEST 1: secret key and public key. */
  private static final String RFC8032_SEED =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String RFC8032_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  /**
   * Peer ids printed by js-libp2p ({@code @libp2p/crypto} 5.1.23 generateKeyPairFromSeed, then
   * {@code @libp2p/peer-id} 6.0.15): {@code node src/test/js/peer.mjs peerid <seed>}.
   */
  @Test
  void fromSeed_knownVectors_matchJsLibp2p() {
    Identity rfc = Identity.fromSeed(HEX.parseHex(RFC8032_SEED));
    assertEquals(RFC8032_PUBLIC, HEX.formatHex(rfc.publicKey()));
    assertEquals("12D3KooWQK1wnefoLrcVHbbnf5tLzbopUd3K3bFAoJpA7YJgL5pV", rfc.peerId().toBase58());
    assertEquals("12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN",
        Identity.fromSeed(new byte[32]).peerId().toBase58());
  }

  @Test
  void publicKeyProtobuf_ed25519_isTypeOneAnd36Bytes() {
    byte[] pb = Identity.fromSeed(HEX.parseHex(RFC8032_SEED)).publicKeyProtobuf();
    assertEquals("08011220" + RFC8032_PUBLIC, HEX.formatHex(pb));
    byte[] id = PeerId.fromPublicKeyProtobuf(pb).toBytes();
    assertEquals("0024", HEX.formatHex(id, 0, 2), "identity multihash of 36 bytes");
  }

  @Test
  void fromBase58_roundTrip_givesEqualIdAndInlinedKey() {
    Identity i = Identity.generate();
    PeerId parsed = PeerId.fromBase58(i.peerId().toBase58());
    assertEquals(i.peerId(), parsed);
    assertTrue(parsed.toBase58().startsWith("12D3KooW"));
    assertArrayEquals(i.publicKey(), parsed.ed25519PublicKey().orElseThrow());
  }

  @Test
  void fromPublicKeyProtobuf_longKey_usesSha256Multihash() {
    PeerId id = PeerId.fromPublicKeyProtobuf(new byte[300]);
    assertEquals(34, id.toBytes().length);
    assertTrue(id.toBase58().startsWith("Qm"), id.toBase58());
    assertTrue(id.inlinedPublicKey().isEmpty());
  }

  @Test
  void fromBase58_garbage_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromBase58("0OIl"));
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromBase58("abc"));
  }

  @Test
  void loadOrCreate_sameFile_keepsPeerIdAcrossRestarts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nested/identity.key");
    Identity first = Identity.loadOrCreate(file);
    Identity second = Identity.loadOrCreate(file);
    assertEquals(first.peerId(), second.peerId());
    assertEquals(68, Files.size(file), "libp2p PrivateKey protobuf: 4 + 64 bytes");
    assertNotEquals(first.peerId(), Identity.loadOrCreate(dir.resolve("other.key")).peerId());
  }

  @Test
  void fromPrivateKeyProtobuf_mismatchedHalves_throws() {
    byte[] pb = Identity.generate().privateKeyProtobuf();
    pb[pb.length - 1] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> Identity.fromPrivateKeyProtobuf(pb));
  }
}
