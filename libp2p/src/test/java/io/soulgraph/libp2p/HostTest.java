package io.soulgraph.libp2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.libp2p.protocol.Identify;
import io.soulgraph.libp2p.protocol.IdentifyController;
import io.soulgraph.libp2p.protocol.IdentifyInfo;
import io.soulgraph.libp2p.protocol.Ping;
import io.soulgraph.libp2p.protocol.PingController;
import io.soulgraph.libp2p.internal.multistream.MultistreamCodec;
import io.soulgraph.libp2p.testing.Echo;
import io.soulgraph.libp2p.testing.RawPeer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two of our hosts on loopback: handshake, streams, flow control, limits. */
@Timeout(60)
final class HostTest {
  private Host a;
  private Host b;

  @AfterEach
  void closeHosts() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  private static Host host(boolean early) {
    return new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").protocol(Echo.binding())
        .earlyMuxerNegotiation(early).build();
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void dial_withEarlyMuxer_pingsIdentifiesAndEchoes() throws Exception {
    checkPair(true, true);
  }

  @Test
  void dial_withoutEarlyMuxer_negotiatesYamuxInBand() throws Exception {
    checkPair(false, true);
    closeHosts();
    checkPair(true, false);
  }

  private void checkPair(boolean earlyA, boolean earlyB) throws Exception {
    a = host(earlyA);
    b = host(earlyB);
    Multiaddr addrB = b.listenAddresses().get(0);
    Connection c = await(a.dial(addrB));
    assertEquals(b.peerId(), c.remotePeer());
    assertEquals("/noise", c.security());
    assertEquals("/yamux/1.0.0", c.muxer());
    PingController ping = await(a.newStream(addrB, Ping.binding()));
    Duration rtt = await(ping.ping());
    assertTrue(rtt.toMillis() < 5000, "rtt " + rtt);
    await(ping.ping());
    IdentifyController id = await(a.newStream(addrB, Identify.binding(x -> null)));
    IdentifyInfo info = await(id.info());
    assertEquals(HostBuilder.DEFAULT_AGENT, info.agentVersion());
    assertEquals(b.peerId(), info.peerId().orElseThrow());
    assertTrue(info.protocols().containsAll(List.of(Ping.PROTOCOL_ID, Echo.PROTOCOL_ID)));
    byte[] msg = "hello over yamux".getBytes();
    assertArrayEquals(msg, await(await(a.newStream(addrB, Echo.binding())).roundTrip(msg)));
    assertEquals(1, a.connections().size(), "the connection is reused");
  }

  @Test
  void echo_largerThanWindows_arrivesIntact() throws Exception {
    a = host(true);
    b = host(true);
    byte[] big = new byte[3 * 1024 * 1024 + 17]; // many yamux windows, many Noise messages
    new Random(1).nextBytes(big);
    Echo.Controller echo = await(a.newStream(b.listenAddresses().get(0), Echo.binding()));
    assertArrayEquals(big, echo.roundTrip(big).get(30, TimeUnit.SECONDS));
  }

  @Test
  void newStream_unknownProtocol_failsWithNoSuchRemoteProtocol() throws Exception {
    a = host(true);
    b = host(true);
    CompletableFuture<Stream> s = a.newStream(b.listenAddresses().get(0), "/nope/1.0.0");
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(s));
    assertTrue(e.getCause() instanceof Libp2pException.NoSuchRemoteProtocolException,
        e.getCause().toString());
    assertTrue(await(a.dial(b.listenAddresses().get(0))).isOpen(), "connection survives");
  }

  @Test
  void newStream_byPeerId_usesTheConnectionTheOtherSideDialed() throws Exception {
    a = host(true);
    b = host(true);
    await(a.dial(b.listenAddresses().get(0)));
    // The dialer finishes first (it sends the last handshake message): wait for b's side.
    long deadline = System.currentTimeMillis() + 5_000;
    while (b.connections().isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    byte[] msg = "back the other way".getBytes();
    assertArrayEquals(msg, await(await(b.newStream(a.peerId(), Echo.binding())).roundTrip(msg)));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> await(b.newStream(Identity.generate().peerId(), Echo.binding())));
    assertTrue(e.getCause() instanceof Libp2pException.ConnectionClosedException);
  }

  @Test
  void dial_dns4Address_resolvesAndConnects() throws Exception {
    a = host(true);
    b = host(true);
    String port = b.listenAddresses().get(0).valueOf(MultiaddrProtocol.TCP).orElseThrow();
    Multiaddr dns = Multiaddr.fromString("/dns4/localhost/tcp/" + port + "/p2p/" + b.peerId());
    assertEquals(b.peerId(), await(a.dial(dns)).remotePeer());
  }

  @Test
  void close_connection_sendsGoAwayAndRemoteForgetsIt() throws Exception {
    a = host(true);
    b = host(true);
    Connection c = await(a.dial(b.listenAddresses().get(0)));
    await(c.close());
    long deadline = System.currentTimeMillis() + 5_000;
    while (!b.connections().isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(b.connections().isEmpty());
    assertTrue(a.connections().isEmpty());
    assertEquals("/ip4/127.0.0.1", c.remoteAddress().toString().substring(0, 14));
  }

  /** Every byte of the upgrade and of a ping stream arrives in its own TCP segment. */
  @Test
  void upgradeAndStream_bytesSplitEverywhere_stillWork() throws Exception {
    b = host(true);
    try (RawPeer p = new RawPeer(b.listenAddresses().get(0).toSocketAddress())) {
      p.trickle();
      p.selectNoise();
      p.handshake();
      byte[] ping = new byte[32];
      new Random(3).nextBytes(ping);
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      byte[] open = MultistreamCodec.encode("/multistream/1.0.0", Ping.PROTOCOL_ID);
      frames.writeBytes(yamuxHeader(0, 1, 1, open.length + 32)); // Data|SYN on stream 1
      frames.writeBytes(open);
      frames.writeBytes(ping);
      p.writeEncrypted(frames.toByteArray());
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      while (!containsSubarray(got.toByteArray(), ping)) {
        got.writeBytes(p.readDecrypted()); // ACK, multistream echoes, then the ping echo
      }
    }
    assertTrue(b.connections().size() <= 1);
  }

  private static byte[] yamuxHeader(int type, int flags, int stream, int length) {
    return java.nio.ByteBuffer.allocate(12).put((byte) 0).put((byte) type)
        .putShort((short) flags).putInt(stream).putInt(length).array();
  }

  private static boolean containsSubarray(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void dial_wrongPeerId_failsAndClosesConnection() throws Exception {
    a = host(true);
    b = host(true);
    Multiaddr wrong = b.listenAddresses().get(0).withPeerId(Identity.generate().peerId());
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(a.dial(wrong)));
    assertTrue(e.getCause() instanceof Libp2pException.BadPeerException, e.getCause().toString());
    assertTrue(a.connections().isEmpty());
  }
}
