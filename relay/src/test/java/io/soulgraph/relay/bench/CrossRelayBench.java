package io.soulgraph.relay.bench;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.p2p.Libp2pConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Cross-relay fan-out, side by side in one run: {@link RelayLoad} with its writers on relay A and
 * its subscribers on relay B, for A and B federated over libp2p ({@code --bootstrap}) and over
 * WebSocket ({@code --peer}), and with writers and subscribers on one relay as the reference.
 * Relays run in this JVM (berkeleyje in temp dirs), their abuse limits lifted as in the relay
 * harness ({@code --rate 1000000 --max-in-flight 100000}).
 *
 * <p>{@code CrossRelayBench [writers] [window] [subscribers] [seconds] [rounds]}: each round runs
 * the three setups one after the other (on a shared machine the load moves between runs; compare
 * the medians over rounds), each result followed by the load average. {@code -Dbench.only=libp2p}
 * (or {@code single}, {@code WebSocket}) runs only the setups whose label holds that text, as for a
 * profile of one of them.
 */
public final class CrossRelayBench {

  private static final String ONLY = System.getProperty("bench.only", "");
  private static final String SINGLE = "single relay";
  private static final String LIBP2P = "A -> B over libp2p";
  private static final String WEBSOCKET = "A -> B over WebSocket (--peer)";

  private CrossRelayBench() {}

  private static boolean runs(String label) {
    return label.contains(ONLY);
  }

  private static RelayConfig config(Path dir, Libp2pConfig libp2p, List<URI> peers) {
    GunLimits d = GunLimits.defaults();
    GunLimits lifted = new GunLimits(d.maxFrameBytes(), d.maxDepth(), d.maxMessagesPerFrame(),
        1_000_000, 100_000, d.maxOutboundFrames(), d.maxStrikes(), d.maxConnections(),
        d.maxSubscriptions(), d.dedupWindow(), d.memory());
    return new RelayConfig("127.0.0.1", 0, StoreConfig.berkeleyJe(dir), peers, lifted)
        .withLibp2p(libp2p);
  }

  public static void main(String[] args) throws Exception {
    int writers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    for (int round = 1; round <= rounds; round++) {
      System.out.println("round " + round + " of " + rounds);
      runRound(Files.createTempDirectory("cross-relay-bench"), writers, window, subscribers,
          seconds);
    }
    System.exit(0);
  }

  private static void loadAverage() throws Exception {
    System.out.println("  load average " + Files.readString(Path.of("/proc/loadavg")).trim());
  }

  /** The count of A's gossip messages that left, from its metrics (one signature each). */
  private static String gossipPublished(Relay relay) {
    return relay.metrics().scrape().lines()
        .filter(line -> line.startsWith("soulgraph_gossip_messages_out_total")
            && line.contains("outcome=\"published\""))
        .map(line -> line.substring(line.lastIndexOf(' ') + 1))
        .findFirst().orElse("none");
  }

  private static void runRound(Path temp, int writers, int window, int subscribers, int seconds)
      throws Exception {
    Libp2pConfig off = Libp2pConfig.disabled();

    if (runs(SINGLE)) {
      try (Relay single = Relay.start(config(temp.resolve("single"), off, List.of()))) {
        new RelayLoad(false).run(single.gunUrl(), single.gunUrl(), writers, window, subscribers,
            seconds, SINGLE);
        loadAverage();
      }
    }
    if (runs(LIBP2P)) {
      runLibp2p(temp, writers, window, subscribers, seconds);
    }
    if (runs(WEBSOCKET)) {
      runWebSocket(temp, writers, window, subscribers, seconds);
    }
  }

  private static void runLibp2p(Path temp, int writers, int window, int subscribers, int seconds)
      throws Exception {
    try (Relay a = Relay.start(config(temp.resolve("p2p-a"), new Libp2pConfig(true, 0), List.of()));
        Relay b = Relay.start(config(temp.resolve("p2p-b"),
            new Libp2pConfig(true, 0).withBootstrap(List.of(a.libp2p().addresses().get(0))),
            List.of()))) {
      while (b.libp2p().federation().syncStreams() == 0) {
        Thread.sleep(100);
      }
      Thread.sleep(2000); // gossipsub meshes on its 1 s heartbeat
      new RelayLoad(false).run(a.gunUrl(), b.gunUrl(), writers, window, subscribers, seconds,
          LIBP2P);
      System.out.println("  gossip messages published by A: " + gossipPublished(a));
      loadAverage();
    }
  }

  private static void runWebSocket(Path temp, int writers, int window, int subscribers,
      int seconds) throws Exception {
    Libp2pConfig off = Libp2pConfig.disabled();
    try (Relay a = Relay.start(config(temp.resolve("ws-a"), off, List.of()));
        Relay b = Relay.start(config(temp.resolve("ws-b"), off, List.of(a.gunUrl())))) {
      while (b.connectedPeers() == 0) {
        Thread.sleep(100);
      }
      new RelayLoad(false).run(a.gunUrl(), b.gunUrl(), writers, window, subscribers, seconds,
          WEBSOCKET);
      loadAverage();
    }
  }
}
