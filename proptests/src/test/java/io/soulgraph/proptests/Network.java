package io.soulgraph.proptests;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated network after Yjs's TestConnector: every write is broadcast to all other peers as
 * messages that arrive after random delays, in random order, sometimes twice, and are lost on a
 * link that is cut (a partition). One true clock drives time; each peer reads it through its own
 * skew. All choices come from the scenario's seed.
 */
final class Network<M> {

  /** The true time at which every run starts (a GunDB-era epoch millisecond). */
  static final long START_MILLIS = 1_795_287_994_030L;

  private static final List<String> SOULS = List.of("s1", "s2");
  private static final List<String> FIELDS = List.of("x", "y");

  /** Runs one anti-entropy exchange between two connected peers. */
  @FunctionalInterface
  interface Syncer<M> {
    void sync(Peer<M> a, Peer<M> b);
  }

  /** A write as the writer held it, and what the writer held for that field just before. */
  record Written(
      int writer, long writerMillis, String soul, String field, FieldState state,
      FieldState overwritten) {}

  private record InFlight<M>(int to, M message, long dueAt) {}

  private final Scenario scenario;
  private final SplittableRandom random;
  private final List<Peer<M>> peers = new ArrayList<>();
  private final List<InFlight<M>> inFlight = new ArrayList<>();
  private final List<Written> written = new ArrayList<>();
  private final boolean[][] cut;
  private long now = START_MILLIS;

  Network(Peer.Factory<M> factory, Scenario scenario) {
    this.scenario = scenario;
    this.random = new SplittableRandom(scenario.seed());
    this.cut = new boolean[scenario.peers()][scenario.peers()];
    for (int i = 0; i < scenario.peers(); i++) {
      long skew = scenario.skewsMillis().get(i);
      peers.add(factory.create("p" + i, () -> now + skew));
    }
  }

  /**
   * Takes the scenario's random steps: writes, deliveries, clock advances and, if asked for,
   * partitions (links cut and healed) and anti-entropy exchanges between connected peers.
   */
  void run(boolean partitions, Syncer<M> syncer) {
    for (int step = 0; step < scenario.steps(); step++) {
      int action = random.nextInt(12);
      if (action < 4) {
        write(random.nextInt(peers.size()));
      } else if (action < 8) {
        deliverSomeDue(random.nextInt(peers.size()) + 1);
      } else if (action < 10) {
        now += random.nextLong(0, 5_000);
      } else if (action == 10 && partitions) {
        int a = random.nextInt(peers.size());
        int b = random.nextInt(peers.size());
        cut[a][b] = !cut[a][b];
        cut[b][a] = cut[a][b];
      } else if (action == 11 && syncer != null) {
        int a = random.nextInt(peers.size());
        int b = random.nextInt(peers.size());
        if (a != b && !cut[a][b]) {
          syncer.sync(peers.get(a), peers.get(b));
        }
      }
    }
  }

  private void write(int writer) {
    String soul = SOULS.get(random.nextInt(SOULS.size()));
    String field = FIELDS.get(random.nextInt(FIELDS.size()));
    Value value = scenario.values().get(random.nextInt(scenario.values().size()));
    Peer<M> peer = peers.get(writer);
    FieldState before = peer.field(soul, field);
    M message = peer.write(soul, field, value);
    long writerMillis = now + scenario.skewsMillis().get(writer);
    written.add(new Written(writer, writerMillis, soul, field, peer.field(soul, field), before));
    for (int to = 0; to < peers.size(); to++) {
      if (to != writer && !cut[writer][to]) {
        int copies = random.nextInt(4) == 0 ? 2 : 1;
        for (int c = 0; c < copies; c++) {
          inFlight.add(new InFlight<>(to, message, now + random.nextLong(0, 3_000)));
        }
      }
    }
  }

  /** Several messages per step, so that causal chains (see, then overwrite) form mid-run. */
  private void deliverSomeDue(int count) {
    for (int delivered = 0; delivered < count; delivered++) {
      if (!deliverOneDue()) {
        return;
      }
    }
  }

  private boolean deliverOneDue() {
    List<Integer> due = new ArrayList<>();
    for (int i = 0; i < inFlight.size(); i++) {
      if (inFlight.get(i).dueAt() <= now) {
        due.add(i);
      }
    }
    if (due.isEmpty()) {
      return false;
    }
    InFlight<M> next = inFlight.remove((int) due.get(random.nextInt(due.size())));
    peers.get(next.to()).receive(next.message());
    return true;
  }

  /** Delivers every message still in flight, in random order, letting time pass as needed. */
  void drain() {
    while (!inFlight.isEmpty()) {
      if (!deliverOneDue()) {
        now = inFlight.stream().mapToLong(InFlight::dueAt).min().orElseThrow();
      }
    }
  }

  /** Heals every partition (messages lost meanwhile stay lost). */
  void heal() {
    for (boolean[] row : cut) {
      Arrays.fill(row, false);
    }
  }

  /** Lets time pass until every peer's clock is past every state written, and releases. */
  void settle() {
    double highest = written.stream().mapToDouble(w -> w.state().state()).max().orElse(now);
    long slowest = scenario.skewsMillis().subList(0, peers.size()).stream()
        .mapToLong(Long::longValue).min().orElse(0);
    now = Math.max(now, (long) Math.ceil(highest) - slowest + 1);
    peers.forEach(Peer::releaseDue);
  }

  List<Peer<M>> peers() {
    return peers;
  }

  List<Graph> snapshots() {
    return peers.stream().map(Peer::snapshot).toList();
  }

  /** Every write made, in order. */
  List<Written> written() {
    return written;
  }
}
