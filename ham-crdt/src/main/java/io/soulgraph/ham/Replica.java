package io.soulgraph.ham;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory replica: the reference model of how a Soulgraph peer merges. It stamps its own
 * writes causally, resolves received writes with {@link Ham}, holds future ones in a
 * {@link DeferredQueue}, and runs anti-entropy with {@link CausalContext}s. Durable stores follow
 * the same rules; property tests simulate networks of these. Not thread-safe.
 *
 * <p>Anti-entropy between replicas A and B: A sends {@link #context()}; B answers with
 * {@link #missingFor(CausalContext) B.missingFor(ctxA)} and its own context; A calls
 * {@link #applyAntiEntropy}. Both ways round, and the two hold identical data.
 */
public final class Replica {

  private record Entry(FieldState fieldState, Dot dot) {}

  private final String id;
  private final StateClock clock;
  private final double drift;
  private final Map<String, Map<String, Entry>> data = new HashMap<>();
  private final CausalContext context = new CausalContext();
  private final DeferredQueue<Update> deferred;
  private long counter;

  /**
   * @param id this replica's unique id (it names the dots of the writes it accepts first)
   * @param ticker the machine clock
   * @param drift how far ahead an incoming state may be before it is deferred (GunDB: 0)
   * @param deferredCapacity the most deferred writes held at once
   */
  public Replica(String id, Ticker ticker, double drift, int deferredCapacity) {
    this.id = Objects.requireNonNull(id, "id");
    this.clock = new StateClock(ticker);
    this.drift = drift;
    this.deferred = new DeferredQueue<>(deferredCapacity);
  }

  public String id() {
    return id;
  }

  /**
   * A local write: stamped {@code max(now, highest state seen for the field + ε)}, applied, and
   * returned for sending to peers.
   */
  public Update write(String soul, String field, Value value) {
    Entry current = entry(soul, field);
    double state = current == null ? clock.next() : clock.stampAfter(current.fieldState.state());
    Update update = new Update(soul, field, new FieldState(value, state), new Dot(id, ++counter));
    store(update);
    return update;
  }

  /**
   * A write received from a peer. Releases due deferred writes first, so that order of arrival
   * never matters.
   *
   * @return HAM's decision; DEFER also when the holding area was full and the write was dropped
   *     (check {@link #deferredCount()})
   */
  public HamDecision receive(Update update) {
    releaseDue();
    return decide(update);
  }

  /** Applies every deferred write whose time has come; returns those that were accepted. */
  public List<Update> releaseDue() {
    List<Update> accepted = new ArrayList<>();
    for (Update update : deferred.due(clock.now() + drift)) {
      if (decide(update) == HamDecision.ACCEPT) {
        accepted.add(update);
      }
    }
    return accepted;
  }

  private HamDecision decide(Update update) {
    Entry current = entry(update.soul(), update.field());
    HamDecision decision =
        Ham.resolve(
            update.fieldState(),
            current == null ? null : current.fieldState,
            clock.now(),
            drift);
    switch (decision.outcome()) {
      case ACCEPT -> store(update);
      case HISTORICAL, EQUAL -> context.add(update.dot());
      case DEFER -> deferred.offer(update, update.fieldState().state());
      default -> throw new IllegalStateException("Unknown HAM outcome " + decision);
    }
    return decision;
  }

  private void store(Update update) {
    data.computeIfAbsent(update.soul(), s -> new HashMap<>())
        .put(update.field(), new Entry(update.fieldState(), update.dot()));
    context.add(update.dot());
  }

  private Entry entry(String soul, String field) {
    Map<String, Entry> node = data.get(soul);
    return node == null ? null : node.get(field);
  }

  /** A copy of the dots this replica has seen: what it sends to start anti-entropy. */
  public CausalContext context() {
    return context.copy();
  }

  /** Every write this replica holds whose dot the peer with {@code remote} has not seen. */
  public List<Update> missingFor(CausalContext remote) {
    List<Update> missing = new ArrayList<>();
    data.forEach(
        (soul, fields) ->
            fields.forEach(
                (field, entry) -> {
                  if (!remote.contains(entry.dot)) {
                    missing.add(new Update(soul, field, entry.fieldState, entry.dot));
                  }
                }));
    return missing;
  }

  /**
   * Applies what a sender found missing here, then takes over the sender's context, unless some of
   * the writes had to be deferred (a deferred write is not yet "seen"; claiming it would be a lie
   * that a later round could never correct).
   */
  public void applyAntiEntropy(List<Update> missing, CausalContext senderContext) {
    releaseDue();
    boolean anyDeferred = false;
    for (Update update : missing) {
      anyDeferred |= decide(update).outcome() == HamDecision.Outcome.DEFER;
    }
    if (!anyDeferred) {
      context.merge(senderContext);
    }
  }

  /** How many writes are held for the future. */
  public int deferredCount() {
    return deferred.size();
  }

  /** The earliest state a deferred write waits for, or +Infinity. */
  public double nextDeferredState() {
    return deferred.nextDue();
  }

  /** The field as this replica holds it, or {@code null}. */
  public FieldState field(String soul, String field) {
    Entry entry = entry(soul, field);
    return entry == null ? null : entry.fieldState;
  }

  /** All data as a graph (souls and fields sorted, so equal replicas give equal graphs). */
  public Graph snapshot() {
    Map<String, Node> nodes = new LinkedHashMap<>();
    data.keySet().stream()
        .sorted()
        .forEach(
            soul -> {
              Map<String, FieldState> fields = new LinkedHashMap<>();
              data.get(soul).entrySet().stream()
                  .sorted(Map.Entry.comparingByKey())
                  .forEach(e -> fields.put(e.getKey(), e.getValue().fieldState));
              nodes.put(soul, new Node(soul, fields));
            });
    return new Graph(nodes);
  }
}
