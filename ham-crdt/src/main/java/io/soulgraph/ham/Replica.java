package io.soulgraph.ham;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An in-memory replica: the reference model of how a Soulgraph peer merges. It stamps its own
 * writes causally, resolves received writes with {@link Ham} through the one {@link Merge} step
 * (which the durable store uses too), holds future ones in a {@link DeferredQueue}, and runs
 * anti-entropy with {@link CausalContext}s. Durable stores follow the same rules; property tests
 * simulate networks of these. Not thread-safe.
 *
 * <p>Anti-entropy between replicas A and B: A sends {@link #context()}; B takes its own context,
 * opens {@link #missingFor(CausalContext, int) B.missingFor(ctxA, n)} and sends the batches, its
 * context with the last; A calls {@link #applyAntiEntropy} with each (the context only with the
 * last). Both ways round, and the two hold identical data.
 */
public final class Replica {

  private record Entry(FieldState fieldState, Dot dot) {}

  private final String id;
  private final StateClock clock;
  private final double drift;
  // sorted, so that a cursor resumes after the last soul and field it handed out
  private final NavigableMap<String, NavigableMap<String, Entry>> data = new TreeMap<>();
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
    return Merge.receive(update, target, context, clock.now(), drift);
  }

  /** This replica's fields and holding area, as the merge step sees them. */
  private final Merge.Target target = new Merge.Target() {
    @Override
    public FieldState current(String soul, String field) {
      Entry current = entry(soul, field);
      return current == null ? null : current.fieldState;
    }

    @Override
    public void apply(Update update) {
      data.computeIfAbsent(update.soul(), s -> new TreeMap<>())
          .put(update.field(), new Entry(update.fieldState(), update.dot()));
    }

    @Override
    public void hold(Update update) {
      deferred.offer(update, update.fieldState().state()); // dropped if full; see receive
    }

    @Override
    public String holdRefusal(List<Update> future) {
      return future.size() <= deferred.room() ? null : "Expected room to hold " + future.size()
          + " future writes but " + deferred.room() + " are free";
    }

    @Override
    public boolean holdsAnyOf(CausalContext other) {
      return deferred.anyHeld(update -> other.contains(update.dot()));
    }
  };

  private void store(Update update) {
    target.apply(update);
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

  /**
   * The writes this replica holds whose dot the peer with {@code remote} has not seen, at most
   * {@code maxBatch} at a time, in soul and field order. Take {@link #context()} to send with the
   * last batch before opening the cursor. Writes made while it is open may or may not be included
   * (the sender's context then does not claim them). Use it from this replica's thread.
   */
  public UpdateCursor missingFor(CausalContext remote, int maxBatch) {
    Objects.requireNonNull(remote, "remote");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("Expected a batch of at least 1 but received " + maxBatch);
    }
    return new UpdateCursor() {
      private String soul = null; // the last soul handed out from, or null before the first
      private String field = null;
      private boolean done;

      @Override
      public List<Update> next() {
        List<Update> batch = new ArrayList<>();
        if (done) {
          return batch;
        }
        NavigableMap<String, NavigableMap<String, Entry>> rest =
            soul == null ? data : data.tailMap(soul, true);
        for (Map.Entry<String, NavigableMap<String, Entry>> node : rest.entrySet()) {
          NavigableMap<String, Entry> fields = node.getKey().equals(soul) && field != null
              ? node.getValue().tailMap(field, false) : node.getValue();
          for (Map.Entry<String, Entry> e : fields.entrySet()) {
            if (!remote.contains(e.getValue().dot)) {
              batch.add(new Update(node.getKey(), e.getKey(), e.getValue().fieldState,
                  e.getValue().dot));
              if (batch.size() == maxBatch) {
                soul = node.getKey();
                field = e.getKey();
                return batch;
              }
            }
          }
        }
        done = true;
        return batch;
      }

      @Override
      public void close() {
        done = true;
      }
    };
  }

  /**
   * Applies one batch of what a sender found missing here ({@link Merge#antiEntropy}); with the
   * last batch, {@code senderContext} is taken over unless a write it names is held for the
   * future.
   *
   * @param senderContext the sender's context with the last batch, null with the others
   * @throws IllegalStateException if the batch's future writes do not fit the holding area;
   *     nothing of the batch is applied
   */
  public void applyAntiEntropy(List<Update> batch, CausalContext senderContext) {
    releaseDue();
    Merge.BatchResult result =
        Merge.antiEntropy(batch, senderContext, target, context, clock.now(), drift);
    if (result.refusal() != null) {
      throw new IllegalStateException(result.refusal() + "; nothing of the batch was applied");
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
