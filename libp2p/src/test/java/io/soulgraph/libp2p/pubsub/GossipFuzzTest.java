package io.soulgraph.libp2p.pubsub;

import static io.soulgraph.libp2p.testing.FuzzInputs.bytes;
import static io.soulgraph.libp2p.testing.FuzzInputs.mutate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.internal.pubsub.FrameReader;
import io.soulgraph.libp2p.internal.pubsub.Rpc;
import io.soulgraph.libp2p.testing.RawPubsubPeer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pubsub RPC decoder and a live gossip host under random, mutated and oversized input: the
 * decoder only ever returns or refuses with a protocol violation, a peer breaking a limit is
 * disconnected, and the host keeps delivering a well-behaved peer's messages. Rerun a failure
 * with {@code -Dlibp2p.fuzz.seed=<seed>}.
 */
@Timeout(180)
final class GossipFuzzTest {
  private static final int EXAMPLES = Integer.getInteger("libp2p.fuzz.examples", 60);
  private static final long SEED = Long.getLong("libp2p.fuzz.seed", System.nanoTime());
  private static final String TOPIC = "fuzz";
  private static Gossip gossip;
  private static Host host;
  private static Gossip bystanderGossip;
  private static Host bystander;
  private static final BlockingQueue<PubsubMessage> received = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    gossip = new Gossip(GossipConfig.defaults().withMaxRpcSize(64 * 1024)
        .withMaxTopicsPerPeer(50).withMaxMessagesPerSecond(200));
    host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").service(gossip).build();
    gossip.subscribe(TOPIC, received::add);
    bystanderGossip = new Gossip(GossipConfig.defaults());
    bystander = new HostBuilder().service(bystanderGossip).build();
    bystanderGossip.subscribe(TOPIC, m -> { });
    bystander.dial(host.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!gossip.meshPeers(TOPIC).contains(bystander.peerId())) {
      assertTrue(System.nanoTime() < deadline, "bystander never meshed");
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    bystander.close();
    host.close();
  }

  /** A valid RPC with every kind of field, to mutate. */
  private static byte[] validRpc(long seed) {
    Random r = new Random(seed);
    byte[] id = new byte[44];
    r.nextBytes(id);
    return new Rpc(List.of(new Rpc.SubOpts(true, "t" + r.nextInt(9))),
        List.of(new Rpc.Message(new byte[38], "data".getBytes(), new byte[8], "t", new byte[64],
            null)),
        new Rpc.Control(List.of(new Rpc.IHave("t", List.of(id))),
            List.of(new Rpc.IWant(List.of(id))), List.of(new Rpc.Graft("t")),
            List.of(new Rpc.Prune("t", 60)))).encode();
  }

  private static void decodeOrRefuse(byte[] input) {
    try {
      Rpc rpc = Rpc.decode(input);
      // Whatever decodes re-encodes to something that decodes to the same encoding.
      assertArrayEquals(rpc.encode(), Rpc.decode(rpc.encode()).encode());
    } catch (BadPeerException e) {
      // refused: the only acceptable failure
    }
  }

  @Test
  void decoder_randomAndMutatedRpcs_decodeOrRefuse_neverThrowAnythingElse() {
    try {
      qt().withExamples(EXAMPLES * 20).withFixedSeed(SEED).forAll(bytes(400))
          .checkAssert(GossipFuzzTest::decodeOrRefuse);
      qt().withExamples(EXAMPLES * 20).withFixedSeed(SEED).forAll(longs().all())
          .checkAssert(seed -> decodeOrRefuse(mutate(validRpc(seed), seed, 4)));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("rerun with -Dlibp2p.fuzz.seed=" + SEED, e);
    }
  }

  @Test
  void frameReader_anySplit_yieldsTheSameFrames_andRefusesOversizeBeforeBuffering() {
    qt().withExamples(EXAMPLES * 5).withFixedSeed(SEED).forAll(longs().all()).checkAssert(s -> {
      Random r = new Random(s);
      List<byte[]> frames = new ArrayList<>();
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
        byte[] f = new byte[r.nextInt(300)];
        r.nextBytes(f);
        frames.add(f);
        io.soulgraph.libp2p.internal.util.Varint.write(all, f.length);
        all.writeBytes(f);
      }
      byte[] stream = all.toByteArray();
      FrameReader reader = new FrameReader(1024);
      List<byte[]> out = new ArrayList<>();
      for (int pos = 0; pos < stream.length; ) {
        int n = Math.min(stream.length - pos, 1 + r.nextInt(50));
        out.addAll(reader.feed(java.util.Arrays.copyOfRange(stream, pos, pos + n)));
        pos += n;
      }
      assertEquals(frames.size(), out.size());
      for (int i = 0; i < frames.size(); i++) {
        assertArrayEquals(frames.get(i), out.get(i));
      }
      assertEquals(0, reader.buffered());
    });
    FrameReader reader = new FrameReader(1024);
    try {
      reader.feed(new byte[] {(byte) 0x81, 0x08}); // announces 1025 bytes
      throw new AssertionError("an oversized frame was accepted");
    } catch (BadPeerException e) {
      assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }
  }

  @Test
  void liveHost_randomAndMutatedRpcs_neverHurtIt() throws Exception {
    try {
      qt().withExamples(EXAMPLES).withFixedSeed(SEED).forAll(longs().all()).checkAssert(s -> {
        try (RawPubsubPeer raw = new RawPubsubPeer(host.listenAddresses().get(0))) {
          byte[] body = mutate(validRpc(s), s, 4);
          if (s % 3 == 0) {
            raw.writeRaw(body); // not even framed
          } else {
            raw.writeFramed(body);
          }
        } catch (Exception e) {
          // the host hung up on us: a correct answer to garbage
        }
      });
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("rerun with -Dlibp2p.fuzz.seed=" + SEED, e);
    }
    assertStillDelivering("after fuzzing");
  }

  @Test
  void oversizedRpc_dropsThatPeerOnly() throws Exception {
    try (RawPubsubPeer raw = new RawPubsubPeer(host.listenAddresses().get(0))) {
      long before = gossip.stats().peersDropped();
      raw.writeRaw(new byte[] {(byte) 0x80, (byte) 0x80, 0x40}); // announces 1 MiB > 64 KiB
      awaitClosed(raw);
      assertEquals(before + 1, gossip.stats().peersDropped());
    }
    assertStillDelivering("after an oversized RPC");
  }

  @Test
  void tooManyTopics_dropsThatPeer() throws Exception {
    try (RawPubsubPeer raw = new RawPubsubPeer(host.listenAddresses().get(0))) {
      List<Rpc.SubOpts> subs = new ArrayList<>();
      for (int i = 0; i < 51; i++) {
        subs.add(new Rpc.SubOpts(true, "topic-" + i));
      }
      raw.send(new Rpc(subs, List.of(), Rpc.Control.EMPTY));
      awaitClosed(raw);
    }
    assertStillDelivering("after a peer subscribed to too many topics");
  }

  @Test
  void floodOfMessages_overTheRate_dropsThatPeer() throws Exception {
    try (RawPubsubPeer raw = new RawPubsubPeer(host.listenAddresses().get(0))) {
      List<Rpc.Message> burst = new ArrayList<>();
      for (int i = 0; i < 201; i++) {
        burst.add(raw.signed(TOPIC, "m" + i, i + 1));
      }
      raw.send(Rpc.ofMessages(burst));
      awaitClosed(raw);
    }
    assertStillDelivering("after a flood");
  }

  private static void awaitClosed(RawPubsubPeer raw) throws Exception {
    raw.stream().connection().closeFuture().get(10, TimeUnit.SECONDS);
  }

  /** The bystander's messages still arrive, and only the bystander is still connected. */
  private static void assertStillDelivering(String when) throws Exception {
    String text = "still-alive-" + System.nanoTime();
    bystanderGossip.publish(TOPIC, text.getBytes(StandardCharsets.UTF_8))
        .get(10, TimeUnit.SECONDS);
    PubsubMessage m;
    do {
      m = received.poll(10, TimeUnit.SECONDS);
      assertTrue(m != null, "no delivery " + when + " (seed " + SEED + ")");
    } while (!text.equals(new String(m.data(), StandardCharsets.UTF_8)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (host.connections().size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(List.of(bystander.peerId()),
        host.connections().stream().map(c -> c.remotePeer()).toList(), "leaked connections");
  }
}
