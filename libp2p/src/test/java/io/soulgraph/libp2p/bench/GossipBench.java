package io.soulgraph.libp2p.bench;

import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.pubsub.Gossip;
import io.soulgraph.libp2p.pubsub.GossipConfig;
import io.soulgraph.libp2p.pubsub.PubsubMessage;
import io.soulgraph.libp2p.testing.JsGossipPeer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Gossipsub on loopback, side by side in one run: messages per second and delivery latency
 * p50/p99 of 1 KiB messages for Java→Java, Java→js and js→js (the reference), and the time a
 * new peer needs from dial to being meshed on a topic. Each message carries its send time
 * (epoch µs), so latency is publish-to-handler across processes on one clock. Run (see
 * docs/benchmarks.md, section libp2p):
 * <pre>
 * mvn -q -pl libp2p test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.soulgraph.libp2p.bench.GossipBench
 * </pre>
 * Options: {@code -Dbench.rounds=3 -Dbench.messages=5000 -Dbench.paced=500} (the paced rate
 * in messages/s for the latency rows).
 */
public final class GossipBench {
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  private static final int MESSAGES = Integer.getInteger("bench.messages", 5000);
  private static final int PACED = Integer.getInteger("bench.paced", 500);
  private static final int SIZE = 1024;
  private static final String TOPIC = "bench";
  /**
   * js-libp2p aborts a connection whose keep-alive ping times out; at load averages of 15-25 a
   * saturating js publisher starves its own event loop long enough for that, and nothing redials
   * the reference pair, so it delivered nothing after its first round. The bench's js nodes keep
   * such connections, and each round still checks the pair is meshed (redialing if not).
   */
  private static final String KEEP_ON_PING_FAILURE = "--keep-on-ping-failure";
  private static final GossipConfig CONFIG = GossipConfig.defaults()
      .withMaxOutboundQueue(1_000_000).withMaxMessagesPerSecond(1_000_000);

  private GossipBench() {}

  /** What one run measured at the receiver. */
  private record Result(double perSecond, double p50Ms, double p99Ms, int received) {}

  /** Collects a Java subscriber's deliveries. */
  private static final class Sink {
    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    volatile long first;
    volatile long last;

    void accept(PubsubMessage m) {
      long now = nowMicros();
      long sent = ByteBuffer.wrap(m.data()).getLong();
      if (latencies.isEmpty()) {
        first = now;
      }
      last = now;
      latencies.add(now - sent);
    }

    Result take() {
      List<Long> l;
      synchronized (latencies) {
        l = new ArrayList<>(latencies);
        latencies.clear();
      }
      Collections.sort(l);
      double secs = Math.max(1, last - first) / 1e6;
      return new Result(l.size() / secs, pct(l, 0.5) / 1000.0, pct(l, 0.99) / 1000.0, l.size());
    }
  }

  private static long pct(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1,
        (int) (sorted.size() * p)));
  }

  static long nowMicros() {
    Instant i = Instant.now();
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }

  private static byte[] payload(int i) {
    return ByteBuffer.allocate(SIZE).putLong(nowMicros()).putInt(i).array();
  }

  public static void main(String[] args) throws Exception {
    System.out.printf("rounds=%d, %d messages of %d B per run, paced rows at %d msg/s, %d cores%n",
        ROUNDS, MESSAGES, SIZE, PACED, Runtime.getRuntime().availableProcessors());
    Sink javaSink = new Sink();
    Gossip pubGossip = new Gossip(CONFIG);
    Gossip subGossip = new Gossip(CONFIG);
    try (Host pub = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").service(pubGossip).build();
        Host sub = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").service(subGossip).build();
        JsGossipPeer jsSub = JsGossipPeer.start(KEEP_ON_PING_FAILURE);
        JsGossipPeer jsPub = JsGossipPeer.start(KEEP_ON_PING_FAILURE);
        JsGossipPeer jsRefSub = JsGossipPeer.start(KEEP_ON_PING_FAILURE)) {
      pubGossip.subscribe(TOPIC, m -> { });
      subGossip.subscribe(TOPIC, javaSink::accept);
      jsSub.subscribe(TOPIC);
      jsPub.subscribe(TOPIC);
      sub.dial(pub.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      jsSub.dial(pub.listenAddresses().get(0));
      // The js pair is separate from the Java publisher's peers, so it carries only its own.
      jsRefSub.subscribe(TOPIC);
      jsRefSub.dial(jsPub.address());
      awaitMesh(pubGossip, sub.peerId());
      awaitMesh(pubGossip, jsSub.peerId());
      jsSub.awaitMesh(TOPIC, pub.peerId());
      jsPub.awaitMesh(TOPIC, jsRefSub.peerId());
      jsRefSub.awaitMesh(TOPIC, jsPub.peerId());

      // Java publishes once to both the Java and the js subscriber: one run gives both rows.
      javaPublish(pubGossip, 1000, 0); // warm-up
      await(() -> javaSink.latencies.size() >= 1000, Duration.ofSeconds(30));
      jsCount(jsSub, 1000);
      javaSink.take();
      jsStats(jsSub);
      jsPub.send("bench " + TOPIC + " 1000 " + SIZE);
      jsPub.await("benched", Duration.ofSeconds(120));
      jsCount(jsRefSub, 1000);
      jsStats(jsRefSub);

      for (int paced : new int[] {0, PACED}) {
        List<Result> jj = new ArrayList<>();
        List<Result> jjs = new ArrayList<>();
        List<Result> jsjs = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
          javaPublish(pubGossip, MESSAGES, paced);
          await(() -> javaSink.latencies.size() >= MESSAGES, Duration.ofSeconds(120));
          jsCount(jsSub, MESSAGES);
          jj.add(javaSink.take());
          jjs.add(jsStats(jsSub));
          ensureMeshed(jsPub, jsRefSub);
          jsPub.send("bench " + TOPIC + " " + MESSAGES + " " + SIZE + " " + paced);
          jsPub.await("benched", Duration.ofSeconds(300));
          jsCount(jsRefSub, MESSAGES);
          jsjs.add(jsStats(jsRefSub));
        }
        String mode = paced == 0 ? "saturating" : "paced at " + paced + "/s";
        print("Java -> Java, " + mode, jj);
        print("Java -> js,   " + mode, jjs);
        print("js -> js,     " + mode, jsjs);
      }

      List<Double> joinJava = new ArrayList<>();
      List<Double> joinJs = new ArrayList<>();
      for (int r = 0; r < Math.max(5, ROUNDS); r++) {
        joinJava.add(joinMillis(pub, pubGossip));
        joinJs.add(joinMillisJs(pub, pubGossip));
      }
      System.out.printf("new Java peer: dial + subscribe until meshed both ways: median %.0f ms %s%n",
          median(joinJava), joinJava);
      System.out.printf("new js peer:   dial + subscribe until meshed both ways: median %.0f ms %s%n",
          median(joinJs), joinJs);
    }
  }

  private static void javaPublish(Gossip g, int n, int rate) throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (rate > 0) {
        long due = t0 + (long) i * 1_000_000_000L / rate;
        long ahead = due - System.nanoTime();
        if (ahead > 1_000_000) {
          Thread.sleep(ahead / 1_000_000);
        }
      }
      g.publish(TOPIC, payload(i));
    }
  }

  /** Redials the js reference pair if a connection loss took it out of each other's mesh. */
  @SuppressWarnings("unchecked")
  private static void ensureMeshed(JsGossipPeer pub, JsGossipPeer sub) throws Exception {
    pub.send("mesh " + TOPIC);
    List<String> mesh = (List<String>) pub.await("mesh", Duration.ofSeconds(30)).get("mesh");
    if (!mesh.contains(sub.peerId().toBase58())) {
      System.out.println("  js reference pair no longer meshed before this round; redialing");
      sub.dial(pub.address());
      sub.awaitMesh(TOPIC, pub.peerId());
      pub.awaitMesh(TOPIC, sub.peerId());
    }
  }

  private static void awaitMesh(Gossip g, PeerId p) throws InterruptedException {
    await(() -> g.meshPeers(TOPIC).contains(p), Duration.ofSeconds(20));
  }

  private static void await(Supplier<Boolean> c, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout);
      }
      Thread.sleep(5);
    }
  }

  private static void jsCount(JsGossipPeer js, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    int last = -1;
    long lastChange = System.nanoTime();
    while (true) {
      js.send("count");
      int got = ((Number) js.await("count", Duration.ofSeconds(30)).get("count")).intValue();
      if (got >= n) {
        return;
      }
      if (got != last) {
        last = got;
        lastChange = System.nanoTime();
      }
      if (System.nanoTime() > deadline || System.nanoTime() - lastChange > 15_000_000_000L) {
        System.out.printf("  js stalled at %d of %d: the row shows what arrived%s%n", got, n,
            js.log().lines().filter(l -> l.contains("connection-closed"))
                .map(l -> "\n    " + l).reduce("", String::concat));
        return; // recorded, not hidden: the row's "received" shows the loss
      }
      Thread.sleep(50);
    }
  }

  private static Result jsStats(JsGossipPeer js) throws Exception {
    js.send("stats");
    Map<String, Object> s = js.await("stats", Duration.ofSeconds(30));
    int count = ((Number) s.get("count")).intValue();
    double secs = Math.max(1, ((Number) s.get("last")).doubleValue()
        - ((Number) s.get("first")).doubleValue()) / 1e6;
    return new Result(count / secs, ((Number) s.get("p50")).doubleValue() / 1000.0,
        ((Number) s.get("p99")).doubleValue() / 1000.0, count);
  }

  private static double joinMillis(Host existing, Gossip existingGossip) throws Exception {
    Gossip g = new Gossip(CONFIG);
    long t0 = System.nanoTime();
    try (Host h = new HostBuilder().service(g).build()) {
      g.subscribe(TOPIC, m -> { });
      h.dial(existing.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      await(() -> g.meshPeers(TOPIC).contains(existing.peerId())
          && existingGossip.meshPeers(TOPIC).contains(h.peerId()), Duration.ofSeconds(20));
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  private static double joinMillisJs(Host existing, Gossip existingGossip) throws Exception {
    try (JsGossipPeer js = JsGossipPeer.start()) {
      long t0 = System.nanoTime();
      js.subscribe(TOPIC);
      js.dial(existing.listenAddresses().get(0));
      await(() -> existingGossip.meshPeers(TOPIC).contains(js.peerId()), Duration.ofSeconds(20));
      js.awaitMesh(TOPIC, existing.peerId());
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static void print(String what, List<Result> rs) {
    List<Double> rate = rs.stream().map(Result::perSecond).toList();
    List<Double> p50 = rs.stream().map(Result::p50Ms).toList();
    List<Double> p99 = rs.stream().map(Result::p99Ms).toList();
    System.out.printf("%s: %6.0f msg/s, p50 %6.2f ms, p99 %7.2f ms   (rates %s; received %s)%n",
        what, median(rate), median(p50), median(p99),
        rate.stream().map(x -> String.format("%.0f", x)).toList(),
        rs.stream().map(Result::received).toList());
  }
}
