package io.soulgraph.proptests;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.StateClock;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import io.soulgraph.ham.VectorClock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately broken replica, the rule DESIGN.md warns against: "causal order first, timestamps
 * only for concurrent pairs". Every write carries the writer's vector clock; an incoming write
 * replaces the current one if the current happens-before it, loses if it happens-before the
 * current, and otherwise the greater state (then JSON text) wins. Writers stamp with their own
 * clock, as such a design would. With skewed clocks the rule has cycles, so the convergence
 * property must find a counterexample against it (see {@code CausalFirstResolverTest}).
 */
final class CausalFirstPeer implements Peer<CausalFirstPeer.Stamped> {

  /** A write with the vector clock of its writer at the time. */
  record Stamped(String soul, String field, FieldState fieldState, VectorClock clock) {}

  private final String id;
  private final StateClock clock;
  private final Map<String, Map<String, Stamped>> data = new HashMap<>();
  private VectorClock seen = VectorClock.EMPTY;

  CausalFirstPeer(String id, Ticker ticker) {
    this.id = id;
    this.clock = new StateClock(ticker);
  }

  static Peer.Factory<Stamped> factory() {
    return CausalFirstPeer::new;
  }

  @Override
  public Stamped write(String soul, String field, Value value) {
    seen = seen.increment(id);
    Stamped write = new Stamped(soul, field, new FieldState(value, clock.next()), seen);
    data.computeIfAbsent(soul, s -> new HashMap<>()).put(field, write);
    return write;
  }

  @Override
  public void receive(Stamped incoming) {
    seen = seen.merge(incoming.clock());
    Map<String, Stamped> node = data.computeIfAbsent(incoming.soul(), s -> new HashMap<>());
    Stamped current = node.get(incoming.field());
    if (current == null || wins(incoming, current)) {
      node.put(incoming.field(), incoming);
    }
  }

  private static boolean wins(Stamped incoming, Stamped current) {
    if (current.clock().happensBefore(incoming.clock())) {
      return true;
    }
    if (incoming.clock().happensBefore(current.clock())) {
      return false;
    }
    return FieldState.HAM_ORDER.compare(incoming.fieldState(), current.fieldState()) > 0;
  }

  @Override
  public void releaseDue() {
    // This resolver applies everything on arrival; nothing is ever held.
  }

  @Override
  public FieldState field(String soul, String field) {
    Map<String, Stamped> node = data.get(soul);
    Stamped write = node == null ? null : node.get(field);
    return write == null ? null : write.fieldState();
  }

  @Override
  public Graph snapshot() {
    Map<String, Node> nodes = new LinkedHashMap<>();
    new TreeMap<>(data).forEach((soul, fields) -> {
      Map<String, FieldState> states = new TreeMap<>();
      fields.forEach((name, write) -> states.put(name, write.fieldState()));
      nodes.put(soul, new Node(soul, states));
    });
    return new Graph(nodes);
  }
}
