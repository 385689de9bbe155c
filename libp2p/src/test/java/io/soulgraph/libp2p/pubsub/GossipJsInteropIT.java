package io.soulgraph.libp2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.internal.pubsub.MessageSigning;
import io.soulgraph.libp2p.internal.pubsub.Rpc;
import io.soulgraph.libp2p.protocol.Identify;
import io.soulgraph.libp2p.protocol.IdentifyInfo;
import io.soulgraph.libp2p.testing.JsGossipPeer;
import io.soulgraph.libp2p.testing.RawPubsubPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our gossipsub against js-libp2p 3.3.11's {@code @libp2p/gossipsub} 17.1.1, in both
 * directions, as a relay between two js nodes, and with js limited to older protocol ids.
 */
@Timeout(120)
final class GossipJsInteropIT {
  private static final Duration WAIT = JsGossipPeer.WAIT;
  private Gossip gossip;
  private Host host;
  private final BlockingQueue<PubsubMessage> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    gossip = new Gossip(GossipConfig.defaults());
    host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").service(gossip).build();
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private PubsubMessage nextJavaMessage() throws InterruptedException {
    PubsubMessage m = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message reached the Java subscriber within " + WAIT);
    }
    return m;
  }

  private void awaitJavaMesh(String topic, PeerId peer) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!gossip.meshPeers(topic).contains(peer)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Java never meshed " + peer + " on " + topic + "; mesh "
            + gossip.meshPeers(topic) + ", topic peers " + gossip.topicPeers(topic));
      }
      Thread.sleep(100);
    }
  }

  /** js dials us, both subscribe, both mesh each other; a message each way arrives intact. */
  private void bothDirections(JsGossipPeer js) throws Exception {
    gossip.subscribe("chat", received::add);
    js.subscribe("chat");
    js.dial(host.listenAddresses().get(0));
    awaitJavaMesh("chat", js.peerId());
    js.awaitMesh("chat", host.peerId());

    assertEquals(java.util.List.of(host.peerId().toBase58()), js.publish("chat", "hello-from-js"));
    PubsubMessage m = nextJavaMessage();
    assertEquals("hello-from-js", new String(m.data(), StandardCharsets.UTF_8));
    assertEquals(js.peerId(), m.from());
    assertEquals(js.peerId(), m.receivedFrom());
    assertEquals("chat", m.topic());

    assertEquals(1, gossip.publish("chat", "hello-from-java".getBytes(StandardCharsets.UTF_8))
        .get(10, TimeUnit.SECONDS));
    Map<String, Object> jm = js.nextMessage(WAIT);
    assertEquals("hello-from-java", jm.get("data"));
    assertEquals(host.peerId().toBase58(), jm.get("from"));
    assertEquals("chat", jm.get("topic"));
  }

  @Test
  void jsAndJava_publishAndReceive_bothWays() throws Exception {
    try (JsGossipPeer js = JsGossipPeer.start()) {
      bothDirections(js);
    }
  }

  @Test
  void jsRestrictedToMeshsub11_interoperates() throws Exception {
    try (JsGossipPeer js = JsGossipPeer.start("--protocols", Gossip.MESHSUB_1_1)) {
      bothDirections(js);
    }
  }

  @Test
  void jsRestrictedToMeshsub10_interoperates() throws Exception {
    try (JsGossipPeer js = JsGossipPeer.start("--protocols", Gossip.MESHSUB_1_0)) {
      bothDirections(js);
    }
  }

  @Test
  void weDialJs_identifyListsMeshsub_andMessagesFlow() throws Exception {
    try (JsGossipPeer js = JsGossipPeer.start()) {
      gossip.subscribe("chat", received::add);
      js.subscribe("chat");
      host.dial(js.address().withPeerId(js.peerId())).get(10, TimeUnit.SECONDS);
      try (Host probe = new HostBuilder().build()) {
        IdentifyInfo ours = probe.newStream(host.listenAddresses().get(0),
            Identify.binding(c -> null)).thenCompose(c -> c.info()).get(10, TimeUnit.SECONDS);
        assertTrue(ours.protocols().containsAll(
            java.util.List.of(Gossip.MESHSUB_1_1, Gossip.MESHSUB_1_0)), ours.protocols().toString());
      }
      awaitJavaMesh("chat", js.peerId());
      js.awaitMesh("chat", host.peerId());
      gossip.publish("chat", "from-dialer".getBytes(StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS);
      assertEquals("from-dialer", js.nextMessage(WAIT).get("data"));
    }
  }

  /** js1 — Java — js2, with no js–js connection: Java forwards as a mesh member, both ways. */
  @Test
  void lineJsJavaJs_javaForwardsBothWays() throws Exception {
    try (JsGossipPeer left = JsGossipPeer.start(); JsGossipPeer right = JsGossipPeer.start()) {
      gossip.subscribe("line", received::add);
      left.subscribe("line");
      right.subscribe("line");
      left.dial(host.listenAddresses().get(0));
      right.dial(host.listenAddresses().get(0));
      awaitJavaMesh("line", left.peerId());
      awaitJavaMesh("line", right.peerId());
      left.awaitMesh("line", host.peerId());
      right.awaitMesh("line", host.peerId());

      left.publish("line", "left-to-right");
      Map<String, Object> atRight = right.nextMessage(WAIT);
      assertEquals("left-to-right", atRight.get("data"));
      assertEquals(left.peerId().toBase58(), atRight.get("from"), "the original signer");
      right.publish("line", "right-to-left");
      Map<String, Object> atLeft = left.nextMessage(WAIT);
      assertEquals("right-to-left", atLeft.get("data"));
      assertEquals(right.peerId().toBase58(), atLeft.get("from"));
      assertEquals("left-to-right", new String(nextJavaMessage().data(), StandardCharsets.UTF_8));
      assertEquals("right-to-left", new String(nextJavaMessage().data(), StandardCharsets.UTF_8));
    }
  }

  /**
   * raw — Java — js: a bad signature, a wrong key, no signature and a repeated seqno from the raw
   * peer reach neither Java's subscriber nor js; its valid messages do, and it stays connected.
   */
  @Test
  void forgedUnsignedAndReplayedMessages_areDroppedNotForwarded_validTrafficContinues()
      throws Exception {
    try (JsGossipPeer js = JsGossipPeer.start();
        RawPubsubPeer raw = new RawPubsubPeer(host.listenAddresses().get(0))) {
      gossip.subscribe("chat", received::add);
      js.subscribe("chat");
      js.dial(host.listenAddresses().get(0));
      awaitJavaMesh("chat", js.peerId());
      js.awaitMesh("chat", host.peerId());
      raw.subscribe("chat");

      raw.publish(raw.signed("chat", "valid-1", 100));
      Rpc.Message good = raw.signed("chat", "bad-signature", 101);
      byte[] sig = good.signature().clone();
      sig[10] ^= 1;
      raw.publish(new Rpc.Message(good.from(), good.data(), good.seqno(), good.topic(), sig, null));
      Identity other = Identity.generate();
      Rpc.Message byOther = MessageSigning.sign(other, "chat", "wrong-key".getBytes(), 102);
      // Signed by another key but claiming to be from the raw peer, with and without that key.
      raw.publish(new Rpc.Message(raw.identity().peerId().toBytes(), byOther.data(),
          byOther.seqno(), "chat", byOther.signature(), null));
      raw.publish(new Rpc.Message(raw.identity().peerId().toBytes(), byOther.data(),
          byOther.seqno(), "chat", byOther.signature(), other.publicKeyProtobuf()));
      raw.publish(new Rpc.Message(good.from(), "unsigned".getBytes(), good.seqno(), "chat",
          null, null));
      raw.publish(raw.signed("chat", "repeated-seqno", 100));
      raw.publish(raw.signed("chat", "valid-1", 100)); // the very same message again
      raw.publish(raw.signed("chat", "valid-2", 103));

      assertEquals("valid-1", js.nextMessage(WAIT).get("data"));
      assertEquals("valid-2", js.nextMessage(WAIT).get("data"));
      assertEquals("valid-1", new String(nextJavaMessage().data(), StandardCharsets.UTF_8));
      assertEquals("valid-2", new String(nextJavaMessage().data(), StandardCharsets.UTF_8));
      Thread.sleep(1_000);
      assertEquals(null, received.poll(), "nothing else reached the Java subscriber");
      assertThrows(AssertionError.class, () -> js.nextMessage(Duration.ofSeconds(1)),
          "nothing else reached js");
      assertEquals(4, gossip.stats().invalid());
      assertEquals(2, gossip.stats().duplicates());
      assertTrue(raw.stream().connection().isOpen(), "the raw peer stays connected");
      raw.publish(raw.signed("chat", "valid-3", 104));
      assertEquals("valid-3", js.nextMessage(WAIT).get("data"));
    }
  }

  /** A burst of binary 1 KiB messages from Java: js delivers every one (the bench's path). */
  @Test
  void burstOfBinaryMessages_allReachJs() throws Exception {
    try (JsGossipPeer js = JsGossipPeer.start()) {
      gossip.subscribe("bench", received::add);
      js.subscribe("bench");
      js.dial(host.listenAddresses().get(0));
      awaitJavaMesh("bench", js.peerId());
      js.awaitMesh("bench", host.peerId());
      for (int i = 0; i < 300; i++) {
        gossip.publish("bench", java.nio.ByteBuffer.allocate(1024).putLong(System.currentTimeMillis() * 1000).putInt(i).array());
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      Number count = 0;
      while (System.nanoTime() < deadline) {
        js.send("count");
        count = (Number) js.await("count", WAIT).get("count");
        if (count.intValue() == 300) {
          return;
        }
        Thread.sleep(200);
      }
      throw new AssertionError("js delivered " + count + " of 300; log:\n" + js.log());
    }
  }

  /** The reference the benchmark compares with: two js nodes alone. */
  @Test
  void jsToJs_reference_works() throws Exception {
    try (JsGossipPeer a = JsGossipPeer.start(); JsGossipPeer b = JsGossipPeer.start()) {
      a.subscribe("ref");
      b.subscribe("ref");
      b.dial(a.address());
      a.awaitMesh("ref", b.peerId());
      b.awaitMesh("ref", a.peerId());
      assertEquals(java.util.List.of(b.peerId().toBase58()), a.publish("ref", "hello-b"));
      assertEquals("hello-b", b.nextMessage(WAIT).get("data"));
      a.subscribe("bench");
      b.subscribe("bench");
      a.awaitMesh("bench", b.peerId());
      a.send("bench bench 100 1024");
      a.await("benched", WAIT);
      Thread.sleep(2000);
      b.send("count");
      assertEquals(100, ((Number) b.await("count", WAIT).get("count")).intValue(), b.log());
    }
  }
}
