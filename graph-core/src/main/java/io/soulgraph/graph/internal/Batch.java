package io.soulgraph.graph.internal;

import io.soulgraph.graph.PutRefusedException;
import io.soulgraph.graph.PutResult;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Ham;
import io.soulgraph.ham.DeferredQueue;
import io.soulgraph.ham.HamDecision;
import io.soulgraph.ham.Merge;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Resolution;
import io.soulgraph.ham.Update;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One group commit being assembled: tasks are resolved in queue order against the committed
 * state overlaid with what earlier tasks of the same batch accepted, so a batch decides exactly as
 * the same tasks applied one by one.
 */
final class Batch {

  /** A task's result and the change to announce once committed. */
  record Outcome(
      CompletableFuture<PutResult> future, PutResult result, Graph changes, Object origin) {}

  private final String replicaId;
  private final Function<String, HotNode> committed;
  private final double machineState;
  private final double drift;
  private final int deferredRoom;
  /** What the deferral area held when the batch began (due fields taken out): read only. */
  private final DeferredQueue<Pending> heldBefore;
  private final DeferralBudget deferralBudget;
  private final int maxNodeFields;
  private long deferredBytes;
  private final Map<Object, Long> deferredBytesByOrigin = new java.util.HashMap<>();
  private final Map<String, Map<String, FieldEntry>> overlay = new LinkedHashMap<>();
  private final List<Pending> deferred = new ArrayList<>();
  private final List<Outcome> outcomes = new ArrayList<>();
  private final CausalContext context;
  private long counter;

  Batch(String replicaId, Function<String, HotNode> committed, double machineState, double drift,
      DeferredQueue<Pending> heldBefore, long counter, CausalContext context,
      DeferralBudget deferralBudget, int maxNodeFields) {
    this.replicaId = replicaId;
    this.heldBefore = heldBefore;
    this.deferralBudget = deferralBudget;
    this.maxNodeFields = maxNodeFields;
    this.committed = committed;
    this.machineState = machineState;
    this.drift = drift;
    this.deferredRoom = heldBefore.room();
    this.counter = counter;
    this.context = context.copy();
  }

  /**
   * Resolves a put; fails only its own future, with {@link PutRefusedException} and nothing
   * applied, if a node would grow past its field bound or the deferral area would overflow.
   */
  void put(WriteTask.Put task) {
    Resolution r = Resolution.of(task.diff(), this::current, machineState, drift);
    Graph kept = r.deferred().isEmpty() ? r.accepted() : r.accepted().join(r.deferred());
    String refusal = tooWide(kept);
    if (refusal == null) {
      refusal = noDeferralRoom(r.deferred(), task.origin());
    }
    if (refusal != null) {
      task.future().completeExceptionally(
          new PutRefusedException(refusal + "; nothing of this put was applied"));
      return;
    }
    forEachField(r.accepted(), (soul, field, fs) -> accept(soul, field, fs, nextDot()));
    forEachField(r.deferred(),
        (soul, field, fs) -> defer(new Pending(soul, field, fs, null, task.origin())));
    outcomes.add(new Outcome(task.future(),
        new PutResult(r.accepted(), r.deferred(), r.historical(), r.equal()),
        r.accepted(), task.origin()));
  }

  private String tooWide(Graph accepted) {
    for (Node node : accepted.nodes().values()) {
      int added = 0;
      for (String field : node.fields().keySet()) {
        if (current(node.soul(), field) == null) {
          added++;
        }
      }
      int held = fieldCount(node.soul());
      if (held + added > maxNodeFields) {
        return "Expected a node of at most " + maxNodeFields + " fields but '" + node.soul()
            + "' holds " + held + " and this put adds " + added;
      }
    }
    return null;
  }

  private int fieldCount(String soul) {
    Map<String, FieldEntry> stored = committed.apply(soul).fields();
    int count = stored.size();
    Map<String, FieldEntry> changed = overlay.get(soul);
    if (changed != null) {
      for (String field : changed.keySet()) {
        count += stored.containsKey(field) ? 0 : 1;
      }
    }
    return count;
  }

  private String noDeferralRoom(Graph held, Object origin) {
    int wanted = held.fieldCount();
    if (wanted == 0) {
      return null;
    }
    if (deferred.size() + wanted > deferredRoom) {
      return "Expected room for " + wanted + " deferred fields but only "
          + (deferredRoom - deferred.size()) + " of the deferral capacity are free";
    }
    long bytes = 0;
    for (Node node : held.nodes().values()) {
      for (var e : node.fields().entrySet()) {
        bytes += 2L * node.soul().length() + Weights.field(e.getKey(), e.getValue());
      }
    }
    return deferralBudget.refusal(origin, bytes, deferredBytes,
        origin == null ? 0 : deferredBytesByOrigin.getOrDefault(origin, 0L));
  }

  private void defer(Pending p) {
    if (p.origin() != null) { // first: the caller's object may throw, before anything is held
      deferredBytesByOrigin.merge(p.origin(), p.bytes(), Long::sum);
    }
    deferred.add(p);
    deferredBytes += p.bytes();
  }

  /**
   * Resolves one anti-entropy batch from a peer with the shared {@link Merge} step, keeping the
   * writes' dots (as {@link io.soulgraph.ham.Replica} does); refuses it whole, failing only its
   * own future, if its future writes do not fit the deferral area.
   */
  void antiEntropy(WriteTask.AntiEntropy task) {
    Collecting target = new Collecting(task.origin());
    Merge.BatchResult r = Merge.antiEntropy(task.batch(), task.senderContext(), target, context,
        machineState, drift);
    if (r.refusal() != null) {
      task.future().completeExceptionally(
          new PutRefusedException(r.refusal() + "; nothing of this batch was applied"));
      return;
    }
    Graph changes = target.applied.build();
    outcomes.add(new Outcome(task.future(),
        new PutResult(changes, target.held.build(), r.historical(), r.equal()), changes,
        task.origin()));
  }

  /** Re-resolves deferred fields whose time has come; what lands is announced with origin null. */
  void release(List<Pending> due) {
    Collecting target = new Collecting(null);
    for (Pending p : due) {
      target.origin = p.origin(); // held again (the clock stepped back): same origin's share
      if (p.dot() != null) { // a peer's write: the merge step, as when it first arrived
        Merge.receive(new Update(p.soul(), p.field(), p.fieldState(), p.dot()), target, context,
            machineState, drift);
        continue;
      }
      // a local put's field: it gets its dot only now that it lands
      switch (decide(p.soul(), p.field(), p.fieldState()).outcome()) {
        case ACCEPT -> {
          Dot dot = nextDot();
          target.apply(new Update(p.soul(), p.field(), p.fieldState(), dot));
          context.add(dot);
        }
        case DEFER -> defer(p);
        default -> { }
      }
    }
    if (!target.applied.isEmpty()) {
      Graph changes = target.applied.build();
      outcomes.add(new Outcome(null, new PutResult(changes, Graph.EMPTY, 0, 0), changes, null));
    }
  }

  /** This batch's fields and deferral area as the merge step sees them; collects what changed. */
  private final class Collecting implements Merge.Target {
    private Object origin;
    final GraphBuilder applied = new GraphBuilder();
    final GraphBuilder held = new GraphBuilder();

    Collecting(Object origin) {
      this.origin = origin;
    }

    @Override
    public FieldState current(String soul, String field) {
      return Batch.this.current(soul, field);
    }

    @Override
    public void apply(Update u) {
      overlay.computeIfAbsent(u.soul(), s -> new LinkedHashMap<>())
          .put(u.field(), new FieldEntry(u.fieldState(), u.dot()));
      applied.add(u.soul(), u.field(), u.fieldState());
    }

    @Override
    public void hold(Update u) {
      defer(new Pending(u.soul(), u.field(), u.fieldState(), u.dot(), origin));
      held.add(u.soul(), u.field(), u.fieldState());
    }

    @Override
    public String holdRefusal(List<Update> future) {
      GraphBuilder wanted = new GraphBuilder();
      future.forEach(u -> wanted.add(u.soul(), u.field(), u.fieldState()));
      return noDeferralRoom(wanted.build(), origin);
    }

    @Override
    public boolean holdsAnyOf(CausalContext other) {
      for (Pending p : deferred) {
        if (p.dot() != null && other.contains(p.dot())) {
          return true;
        }
      }
      return heldBefore.anyHeld(p -> p.dot() != null && other.contains(p.dot()));
    }
  }

  private HamDecision decide(String soul, String field, FieldState incoming) {
    return Ham.resolve(incoming, current(soul, field), machineState, drift);
  }

  FieldState current(String soul, String field) {
    Map<String, FieldEntry> changed = overlay.get(soul);
    FieldEntry entry = changed == null ? null : changed.get(field);
    if (entry == null) {
      entry = committed.apply(soul).fields().get(field);
    }
    return entry == null ? null : entry.fieldState();
  }

  private void accept(String soul, String field, FieldState fs, Dot dot) {
    overlay.computeIfAbsent(soul, s -> new LinkedHashMap<>()).put(field, new FieldEntry(fs, dot));
    context.add(dot);
  }

  private Dot nextDot() {
    return new Dot(replicaId, ++counter);
  }

  private static void forEachField(Graph graph, FieldVisitor visitor) {
    for (Node node : graph.nodes().values()) {
      node.fields().forEach((field, fs) -> visitor.visit(node.soul(), field, fs));
    }
  }

  @FunctionalInterface
  private interface FieldVisitor {
    void visit(String soul, String field, FieldState fs);
  }

  Map<String, Map<String, FieldEntry>> overlay() {
    return overlay;
  }

  List<Pending> deferred() {
    return deferred;
  }

  List<Outcome> outcomes() {
    return outcomes;
  }

  long counter() {
    return counter;
  }

  CausalContext context() {
    return context;
  }
}
