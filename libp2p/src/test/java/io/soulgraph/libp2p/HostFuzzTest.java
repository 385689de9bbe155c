package io.soulgraph.libp2p;

import static io.soulgraph.libp2p.testing.FuzzInputs.bytes;
import static io.soulgraph.libp2p.testing.FuzzInputs.mutate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.soulgraph.libp2p.internal.host.HostImpl;
import io.soulgraph.libp2p.internal.multistream.MultistreamCodec;
import io.soulgraph.libp2p.protocol.Ping;
import io.soulgraph.libp2p.testing.RawPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/**
 * Codec fuzzing against a live host: random and mutated multistream, Noise and Yamux bytes
 * must never crash it, and must leave no connection or thread behind. Each property prints its
 * seed on failure; rerun with {@code -Dlibp2p.fuzz.seed=<seed>}.
 */
@Timeout(180)
final class HostFuzzTest {
  private static final int EXAMPLES = Integer.getInteger("libp2p.fuzz.examples", 60);
  private static final long SEED = Long.getLong("libp2p.fuzz.seed", System.nanoTime());
  private static HostImpl host;
  /** A well-behaved peer connected throughout: garbage on other connections must not hurt it. */
  private static Host bystander;
  private static io.soulgraph.libp2p.protocol.PingController bystanderPing;
  private static InetSocketAddress address;
  private static java.util.Set<Thread> threadsBefore = java.util.Set.of();

  @BeforeAll
  static void start() {
    host = (HostImpl) new HostBuilder().listen("/ip4/127.0.0.1/tcp/0")
        .handshakeTimeout(java.time.Duration.ofSeconds(2)).build();
    address = host.listenAddresses().get(0).toSocketAddress();
    bystander = new HostBuilder().ioThreads(1).build();
    bystanderPing = bystander.newStream(host.listenAddresses().get(0), Ping.binding()).join();
    assertHostHealthy(); // starts the host's I/O threads, so the baseline includes them
    threadsBefore = Thread.getAllStackTraces().keySet();
  }

  @AfterAll
  static void stop() {
    bystander.close();
    host.close();
  }

  /** A plausible yamux frame stream: mostly-valid headers with random fields. */
  private static byte[] yamuxFrames(long seed) {
    Random r = new Random(seed);
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
      int type = r.nextInt(10) == 0 ? r.nextInt(256) : r.nextInt(4);
      int len = r.nextBoolean() ? r.nextInt(64) : r.nextInt();
      buf.put((byte) (r.nextInt(20) == 0 ? 1 : 0)).put((byte) type)
          .putShort((short) r.nextInt(16)).putInt(r.nextInt(6)).putInt(len);
      if (type == 0 && len >= 0 && len < 64) {
        byte[] body = r.nextBoolean() ? MultistreamCodec.encode("/multistream/1.0.0",
            "/ipfs/ping/1.0.0") : new byte[len];
        buf.put(body, 0, Math.min(body.length, buf.remaining() - 64));
      }
    }
    return java.util.Arrays.copyOf(buf.array(), buf.position());
  }

  private static void run(String stage, Gen<?> gen, ThrowingConsumer body) {
    try {
      qt().withExamples(EXAMPLES).withFixedSeed(SEED).forAll(gen).checkAssert(x -> {
        try {
          body.accept(x);
        } catch (IOException e) {
          // The host hung up on us mid-write: a correct reaction to garbage.
        }
      });
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(stage + " fuzzing failed; rerun with -Dlibp2p.fuzz.seed=" + SEED,
          e);
    }
  }

  private interface ThrowingConsumer {
    void accept(Object input) throws IOException;
  }

  @Test
  void multistream_randomAndMutatedBytes_neverCrashHost() {
    byte[] valid = MultistreamCodec.encode("/multistream/1.0.0", "/noise");
    run("multistream", bytes(300), input -> {
      try (RawPeer p = new RawPeer(address)) {
        p.write((byte[]) input);
      }
    });
    run("multistream-mutated", longs().all(), seed -> {
      try (RawPeer p = new RawPeer(address)) {
        p.write(mutate(valid, (Long) seed, 3));
      }
    });
    assertHostHealthy();
  }

  @Test
  void noise_randomAndMutatedHandshakeFrames_neverCrashHost() {
    run("noise", bytes(300), input -> {
      try (RawPeer p = new RawPeer(address)) {
        p.selectNoise();
        p.writeFrame((byte[]) input);
      }
    });
    run("noise-msg1", longs().all(), seed -> {
      try (RawPeer p = new RawPeer(address)) {
        p.selectNoise();
        byte[] msg1 = new byte[2 + 32];
        msg1[1] = 32;
        new Random((Long) seed).nextBytes(msg1);
        msg1[0] = 0;
        msg1[1] = 32;
        p.write(mutate(msg1, (Long) seed, 3));
      }
    });
    run("noise-msg3-mutated", longs().all(), seed -> {
      try (RawPeer p = new RawPeer(address)) {
        p.selectNoise();
        p.handshake(msg3 -> mutate(msg3, (Long) seed, 3));
        p.closedByRemote(50);
      }
    });
    run("noise-transport-garbage", bytes(300), input -> {
      try (RawPeer p = new RawPeer(address)) {
        p.selectNoise();
        p.handshake();
        p.writeFrame((byte[]) input); // not encrypted with the session key
        p.closedByRemote(50);
      }
    });
    assertHostHealthy();
  }

  @Test
  void yamux_randomAndMutatedFrames_neverCrashHost() {
    run("yamux-random", bytes(200), input -> {
      try (RawPeer p = new RawPeer(address)) {
        p.selectNoise();
        p.handshake();
        p.writeEncrypted((byte[]) input);
        p.closedByRemote(50);
      }
    });
    run("yamux-frames", longs().all(), seed -> {
      try (RawPeer p = new RawPeer(address)) {
        p.selectNoise();
        p.handshake();
        p.writeEncrypted(yamuxFrames((Long) seed));
        p.closedByRemote(50);
      }
    });
    assertHostHealthy();
  }

  @Test
  void yamux_oversizedFrame_closesThatConnectionOnly() throws Exception {
    try (RawPeer p = new RawPeer(address)) {
      p.selectNoise();
      p.handshake();
      ByteBuffer header = ByteBuffer.allocate(12).put((byte) 0).put((byte) 0)
          .putShort((short) 1).putInt(1).putInt(64 << 20);
      p.writeEncrypted(header.array());
      assertTrue(p.closedByRemote(5_000), "a 64 MiB data frame must close the connection");
    }
    assertHostHealthy();
  }

  @Test
  void handshake_silentPeer_isClosedAtTheTimeout() throws Exception {
    try (RawPeer p = new RawPeer(address)) {
      assertTrue(p.closedByRemote(5_000), "handshake timeout is 2 s");
    }
  }

  /** The host still serves a well-behaved peer, and nothing leaked. */
  private static void assertHostHealthy() {
    try (Host client = new HostBuilder().ioThreads(1).build()) {
      var rtt = client.newStream(host.listenAddresses().get(0), Ping.binding())
          .thenCompose(c -> c.ping()).get(10, TimeUnit.SECONDS);
      assertTrue(rtt.toMillis() < 10_000);
    } catch (Exception e) {
      throw new AssertionError("host stopped serving after fuzzing (seed " + SEED + ")", e);
    }
    try {
      bystanderPing.ping().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the bystander's connection was hurt (seed " + SEED + ")", e);
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (host.openChannels() > 1 && System.currentTimeMillis() < deadline) {
      sleep(50);
    }
    assertEquals(1, host.openChannels(), "connections leaked (seed " + SEED + ")");
    assertEquals(List.of(bystander.peerId()),
        host.connections().stream().map(Connection::remotePeer).toList());
    while (!newThreads().isEmpty() && System.currentTimeMillis() < deadline) {
      sleep(50); // the client host's I/O thread may still be winding down
    }
    assertEquals(List.of(), newThreads(), "threads leaked (seed " + SEED + ")");
  }

  /** Threads started since the baseline, except JUnit's own timeout watcher. */
  private static List<String> newThreads() {
    if (threadsBefore.isEmpty()) {
      return List.of(); // still taking the baseline
    }
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !threadsBefore.contains(t) && !t.getName().startsWith("junit-"))
        .map(Thread::getName).toList();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
