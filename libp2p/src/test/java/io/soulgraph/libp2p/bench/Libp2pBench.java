package io.soulgraph.libp2p.bench;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.ProtocolHandler;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.testing.JsPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Side-by-side loopback benchmark: handshakes per second and bulk throughput over one yamux
 * stream, for two of our hosts, plain TCP (the limit) and two js-libp2p nodes. Prints medians
 * of several rounds, because the machine is shared and noisy. Run (see docs/benchmarks.md,
 * section libp2p):
 * <pre>
 * mvn -q -pl libp2p test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.soulgraph.libp2p.bench.Libp2pBench
 * </pre>
 * Options: {@code -Dbench.rounds=5 -Dbench.mib=64 -Dbench.handshakes=200 -Dbench.js=true}.
 */
public final class Libp2pBench {
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  private static final int MIB = Integer.getInteger("bench.mib", 64);
  private static final int HANDSHAKES = Integer.getInteger("bench.handshakes", 200);
  private static final int CHUNK = 64 * 1024;
  private static final String SINK = "/soulgraph/sink/1.0.0";

  private static final AtomicLong received = new AtomicLong();
  private static volatile CompletableFuture<Void> allReceived = new CompletableFuture<>();
  private static volatile long expected;

  private Libp2pBench() {}

  public static void main(String[] args) throws Exception {
    System.out.printf("rounds=%d, %d MiB per throughput round, %d handshakes per round, %d cores%n",
        ROUNDS, MIB, HANDSHAKES, Runtime.getRuntime().availableProcessors());
    List<Double> tcpMib = new ArrayList<>();
    List<Double> tcpConn = new ArrayList<>();
    List<Double> ourMib = new ArrayList<>();
    List<Double> ourHs = new ArrayList<>();
    try (Host server = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0")
            .protocol(new ProtocolBinding<>(SINK, sink())).build();
         Host client = new HostBuilder().build()) {
      Multiaddr addr = server.listenAddresses().get(0);
      ourThroughput(client, addr); // warm-up: JIT, buffers
      ourHandshakes(client, addr, HANDSHAKES / 4);
      tcpThroughput();
      tcpConnects(HANDSHAKES / 4);
      for (int r = 0; r < ROUNDS; r++) {
        ourMib.add(ourThroughput(client, addr));
        tcpMib.add(tcpThroughput());
        ourHs.add(ourHandshakes(client, addr, HANDSHAKES));
        tcpConn.add(tcpConnects(HANDSHAKES));
      }
    }
    report("plain TCP (Java sockets)", tcpConn, tcpMib, "connects/s");
    report("soulgraph libp2p (Noise+Yamux)", ourHs, ourMib, "handshakes/s");
    System.out.printf("ratio libp2p/TCP throughput: %.2f%n", median(ourMib) / median(tcpMib));
    if (Boolean.parseBoolean(System.getProperty("bench.js", "true"))) {
      Map<String, Object> js = runJs();
      List<Double> jsHs = doubles(js.get("handshakesPerSec"));
      List<Double> jsMib = doubles(js.get("mibPerSec"));
      report("js-libp2p 3.3.11 x2 (Node 20)", jsHs, jsMib, "handshakes/s");
      System.out.printf("ratio ours/js: throughput %.2f, handshakes %.2f%n",
          median(ourMib) / median(jsMib), median(ourHs) / median(jsHs));
    }
  }

  /** The receiving side: counts bytes, completes the round when all have arrived. */
  private static ProtocolHandler<Void> sink() {
    return new ProtocolHandler<>() {
      @Override
      public Void onStartInitiator(Stream s) {
        return null;
      }

      @Override
      public Void onStartResponder(Stream s) {
        s.setListener((st, data) -> {
          if (received.addAndGet(data.length) >= expected) {
            allReceived.complete(null);
          }
        });
        return null;
      }
    };
  }

  private static double ourThroughput(Host client, Multiaddr addr) throws Exception {
    expected = (long) MIB << 20;
    received.set(0);
    allReceived = new CompletableFuture<>();
    Stream s = client.newStream(addr, SINK).get(10, TimeUnit.SECONDS);
    byte[] chunk = new byte[CHUNK];
    long start = System.nanoTime();
    CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    for (long sent = 0; sent < expected; sent += CHUNK) {
      // Keep a few writes in flight; each completes as the window admits it.
      CompletableFuture<Void> w = s.write(chunk);
      if ((sent / CHUNK) % 8 == 7) {
        w.get(30, TimeUnit.SECONDS);
      }
      last = w;
    }
    last.get(60, TimeUnit.SECONDS);
    allReceived.get(60, TimeUnit.SECONDS);
    double secs = (System.nanoTime() - start) / 1e9;
    s.closeWrite();
    return MIB / secs;
  }

  private static double ourHandshakes(Host client, Multiaddr addr, int n) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Connection c = client.dial(addr).get(10, TimeUnit.SECONDS);
      c.close().get(10, TimeUnit.SECONDS);
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static double tcpThroughput() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long total = (long) MIB << 20;
      CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
          byte[] buf = new byte[CHUNK];
          long got = 0;
          for (int n; got < total && (n = in.read(buf)) > 0; ) {
            got += n;
          }
          return got;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      long start = System.nanoTime();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
           OutputStream out = s.getOutputStream()) {
        byte[] chunk = new byte[CHUNK];
        for (long sent = 0; sent < total; sent += CHUNK) {
          out.write(chunk);
        }
        reader.get(60, TimeUnit.SECONDS);
      }
      return MIB / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double tcpConnects(int n) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> acceptor = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < n; i++) {
          try (Socket s = server.accept()) {
            s.getInputStream().read(); // wait for the client's close
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      });
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
          s.getOutputStream().write(1); // one round trip's worth, like a minimal handshake
        }
      }
      acceptor.get(60, TimeUnit.SECONDS);
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static Map<String, Object> runJs() throws Exception {
    try (JsPeer js = JsPeer.start("bench.mjs", String.valueOf(ROUNDS), String.valueOf(MIB),
        String.valueOf(Math.max(20, HANDSHAKES / 4)))) {
      return js.await("bench", java.time.Duration.ofMinutes(10));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Double> doubles(Object o) {
    return new ArrayList<>((List<Double>) o);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void report(String what, List<Double> rate, List<Double> mib, String unit) {
    System.out.printf("%-32s median %8.1f %s (rounds %s) | median %7.1f MiB/s (rounds %s)%n",
        what, median(rate), unit, fmt(rate), median(mib), fmt(mib));
  }

  private static String fmt(List<Double> xs) {
    return xs.stream().map(x -> String.format("%.0f", x)).toList().toString();
  }
}
