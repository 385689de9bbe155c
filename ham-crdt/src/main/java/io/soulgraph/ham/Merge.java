package io.soulgraph.ham;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one merge step for writes that come from a peer with their {@link Dot}s: a write received
 * live, a deferred write whose time has come, and a batch of an anti-entropy stream. It decides
 * with {@link Ham} and keeps the {@link CausalContext} true; where the fields live is the
 * {@link Target}'s business (an in-memory {@link Replica}, or a durable store's group commit).
 *
 * <p>The context rule, which makes anti-entropy correct: a dot is added once its write is applied
 * or dominated, never while it is held for the future; and a sender's whole context is taken over
 * only with the last batch of its stream, and only if no write the sender knows of is held here
 * (held writes are "not seen yet": claiming them would be a lie no later round could correct).
 */
public final class Merge {

  /** Where a merge reads and writes fields. Used from one thread. */
  public interface Target {

    /** The field as the target holds it now (including what this merge applied), or null. */
    FieldState current(String soul, String field);

    /** Makes {@code update} the field's value. */
    void apply(Update update);

    /**
     * Holds {@code update} until its state comes. Within {@link #antiEntropy} there is room (see
     * {@link #holdRefusal}); a live write may be dropped when there is none.
     */
    void hold(Update update);

    /**
     * Why the target cannot hold all of {@code future} (writes ahead of the clock), or null if
     * it can.
     */
    String holdRefusal(List<Update> future);

    /** True if a write the target holds for the future has a dot in {@code context}. */
    boolean holdsAnyOf(CausalContext context);
  }

  /**
   * What one anti-entropy batch did (the target saw the applied and held writes).
   *
   * @param refusal why nothing was applied (the target could not hold the batch's future writes),
   *     or null
   * @param historical writes that lost to what the target holds
   * @param equal writes the target already held exactly
   * @param contextTaken true if the sender's context was taken over
   */
  public record BatchResult(String refusal, int historical, int equal, boolean contextTaken) {}

  private Merge() {}

  /**
   * Merges one write from a peer.
   *
   * @param context the target's context: the write's dot is added unless the write is held
   * @param machineState the target's clock ({@link StateClock#now()})
   * @param drift how far ahead of the clock a state may be before the write is held
   */
  public static HamDecision receive(Update update, Target target, CausalContext context,
      double machineState, double drift) {
    HamDecision decision = Ham.resolve(update.fieldState(),
        target.current(update.soul(), update.field()), machineState, drift);
    switch (decision.outcome()) {
      case ACCEPT -> {
        target.apply(update);
        context.add(update.dot());
      }
      case HISTORICAL, EQUAL -> context.add(update.dot());
      case DEFER -> target.hold(update);
      default -> throw new IllegalStateException("Unknown HAM outcome " + decision);
    }
    return decision;
  }

  /**
   * Merges one batch of an anti-entropy stream: whole or, if the target cannot hold its future
   * writes, not at all. With the stream's last batch the sender passes its context (taken before
   * it opened the stream's {@link UpdateCursor}); it is taken over unless a write the sender knows
   * of is held here.
   *
   * @param senderContext the sender's context with the last batch, null with the others
   */
  public static BatchResult antiEntropy(List<Update> batch, CausalContext senderContext,
      Target target, CausalContext context, double machineState, double drift) {
    List<Update> future = new ArrayList<>();
    for (Update update : batch) {
      // HAM defers on the state alone, whatever is held: this predicts every DEFER below
      if (update.fieldState().state() > machineState + drift) {
        future.add(update);
      }
    }
    if (!future.isEmpty()) {
      String refusal = target.holdRefusal(future);
      if (refusal != null) {
        return new BatchResult(refusal, 0, 0, false);
      }
    }
    int historical = 0;
    int equal = 0;
    for (Update update : Objects.requireNonNull(batch, "batch")) {
      switch (receive(update, target, context, machineState, drift).outcome()) {
        case HISTORICAL -> historical++;
        case EQUAL -> equal++;
        default -> { }
      }
    }
    boolean take = senderContext != null && !target.holdsAnyOf(senderContext);
    if (take) {
      context.merge(senderContext);
    }
    return new BatchResult(null, historical, equal, take);
  }
}
