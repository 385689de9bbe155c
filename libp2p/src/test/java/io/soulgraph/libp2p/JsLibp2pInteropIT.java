package io.soulgraph.libp2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.libp2p.protocol.Identify;
import io.soulgraph.libp2p.protocol.IdentifyInfo;
import io.soulgraph.libp2p.protocol.Ping;
import io.soulgraph.libp2p.protocol.PingController;
import io.soulgraph.libp2p.testing.Echo;
import io.soulgraph.libp2p.testing.JsPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our host against a real js-libp2p 3.3.11 node (Node 20 + the withResolvers polyfill), both
 * directions: Noise, Yamux, identify, ping and a custom echo protocol. The js node's connection
 * monitor pings every connection every second, so a connection that survives shows our ping
 * responder satisfies it.
 */
@Timeout(120)
final class JsLibp2pInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static JsPeer js;
  private static Multiaddr jsAddr;
  private Host host;

  @BeforeAll
  static void start() throws Exception {
    js = JsPeer.start("peer.mjs", "listen");
    Map<String, Object> listening = js.await("listening", WAIT);
    jsAddr = Multiaddr.fromString((String) ((List<?>) listening.get("addrs")).get(0))
        .withPeerId(PeerId.fromBase58((String) listening.get("peerId")));
  }

  @AfterAll
  static void stopJs() {
    if (js != null) {
      js.close();
    }
  }

  /** A fresh host per test, so every test starts with a fresh connection. */
  @BeforeEach
  void startHost() {
    host = newHost(true);
  }

  private static Host newHost(boolean earlyMuxer) {
    return new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").protocol(Echo.binding())
        .earlyMuxerNegotiation(earlyMuxer).build();
  }

  @AfterEach
  void stopHost() {
    host.close();
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsDialsUs_noiseYamux_pingIdentifyAndEchoWork() throws Exception {
    js.send("check " + host.listenAddresses().get(0));
    Map<String, Object> r = js.await("check", WAIT);
    assertEquals(host.peerId().toBase58(), r.get("remotePeer"));
    assertEquals(1, host.connections().size());
    assertTrue(!host.connections().get(0).isInitiator(), "js dialed, we listened");
    assertEquals("/noise", r.get("encryption"));
    assertEquals("/yamux/1.0.0", r.get("multiplexer"));
    assertEquals(HostBuilder.DEFAULT_AGENT, r.get("agentVersion"));
    assertEquals("ipfs/0.1.0", r.get("protocolVersion"));
    assertTrue(((List<String>) r.get("protocols")).containsAll(
        List.of(Identify.PROTOCOL_ID, Ping.PROTOCOL_ID, Echo.PROTOCOL_ID)), r.toString());
    String ourPort = host.listenAddresses().get(0).valueOf(MultiaddrProtocol.TCP).orElseThrow();
    assertTrue(((List<String>) r.get("listenAddrs")).contains("/ip4/127.0.0.1/tcp/" + ourPort),
        r.toString());
    assertEquals(3, ((List<?>) r.get("pingRtts")).size());
    assertEquals(Boolean.TRUE, r.get("echoOk"), r.toString());
    assertEquals(2_100_000.0, r.get("echoBytes"));
  }

  @Test
  void weDialJs_noiseYamux_pingIdentifyAndEchoWork() throws Exception {
    Connection c = await(host.dial(jsAddr));
    assertEquals(jsAddr.peerId().orElseThrow(), c.remotePeer());
    Map<String, Object> seen = js.await("connection", WAIT);
    while (!host.peerId().toBase58().equals(seen.get("remotePeer"))) {
      seen = js.await("connection", WAIT); // an earlier test's connection
    }
    assertEquals("inbound", seen.get("direction"));
    assertEquals("/noise", seen.get("encryption"));
    assertEquals("/yamux/1.0.0", seen.get("multiplexer"));

    PingController ping = await(c.newStream(Ping.binding()));
    for (int i = 0; i < 3; i++) {
      assertTrue(await(ping.ping()).toMillis() < 5_000);
    }
    IdentifyInfo info = await(await(c.newStream(Identify.binding(x -> null))).info());
    assertTrue(info.agentVersion().startsWith("js-libp2p/"), info.agentVersion());
    assertEquals(c.remotePeer(), info.peerId().orElseThrow());
    assertTrue(info.protocols().containsAll(List.of(Ping.PROTOCOL_ID, Echo.PROTOCOL_ID)),
        info.protocols().toString());

    byte[] big = new byte[1024 * 1024 + 5]; // past js's and our 256 KiB windows, both ways
    new Random(7).nextBytes(big);
    assertArrayEquals(big, await(await(c.newStream(Echo.binding())).roundTrip(big)));
  }

  /** Without the Noise muxer extension js falls back to multistream-select inside Noise. */
  @Test
  void bothDirections_withoutEarlyMuxer_negotiateYamuxInBand() throws Exception {
    host.close();
    host = newHost(false);
    jsDialsUs_noiseYamux_pingIdentifyAndEchoWork();
    host.close();
    host = newHost(false);
    weDialJs_noiseYamux_pingIdentifyAndEchoWork();
  }

  @Test
  void jsConnectionMonitor_pingsOurHost_connectionStaysOpen() throws Exception {
    Connection c = await(host.dial(jsAddr));
    Thread.sleep(3_500); // three rounds of js's 1 s connection monitor
    assertTrue(c.isOpen(), "js dropped the connection; js log:\n" + js.log());
    assertTrue(host.connections().contains(c));
  }
}
