package io.soulgraph.ham;

/**
 * HAM, GunDB's Hypothetical Amnesia Machine: the per-field conflict rule. A pure, total function
 * of the incoming field, the current field and the machine state. It sets no timers, emits nothing
 * and logs nothing.
 *
 * <h2>The rule (GunDB {@code ham()}, gun 0.2020.1241)</h2>
 * Given incoming state {@code s}, current state {@code c} (none if the field is unknown) and
 * machine state {@code now}:
 * <ol>
 *   <li>{@code s > now + drift}: defer until the machine reaches {@code s};
 *   <li>{@code s < c}: historical;
 *   <li>{@code s > c}: accept;
 *   <li>{@code s == c}: compare the JSON texts; greater accepts, smaller is historical, identical
 *       is equal (a no-op).
 * </ol>
 *
 * <h2>Why this converges: a join-semilattice</h2>
 * Setting deferral aside (it only delays an update, it never changes which one wins), the rule
 * keeps, per field, the maximum of all values ever received under one total order
 * {@link FieldState#HAM_ORDER} (state, then JSON text). The maximum under a total order is
 * commutative, associative and idempotent, so replicas that have received the same set of updates
 * hold the same value, whatever the order, duplication or grouping of delivery. Nodes and graphs
 * are products of fields, so they are semilattices too ({@link Node#join}, {@link Graph#join}).
 *
 * <h2>Why not "causal order first, timestamps for concurrent pairs"</h2>
 * That rule is not a total order once clocks are skewed, so it has cycles and replicas diverge.
 * Writer P (clock 100) writes a; Q sees a and overwrites it with b at its slow clock 50, so
 * a&nbsp;&lt;&nbsp;b causally. Writer R, concurrent with both, writes c at 70. Then
 * b&nbsp;&lt;&nbsp;c
 * by timestamp, c&nbsp;&lt;&nbsp;a by timestamp, and a&nbsp;&lt;&nbsp;b causally: a replica that
 * saw a, c, b ends with b; one that saw b, c, a ends with a (c beat b, a beat c, and a-versus-b is
 * only settled if both are still present). Instead, a local writer stamps every write with
 * {@code max(now, highest state seen for that field + ε)} ({@link StateClock#stampAfter}), so
 * causal order implies state order and the state order alone decides. Vector clocks
 * ({@link VectorClock}) are then used for causality checks and anti-entropy, never to pick a
 * winner.
 */
public final class Ham {

  private Ham() {}

  /**
   * Decides one incoming field against the current one.
   *
   * @param incoming the update received
   * @param current the field as this replica has it, or {@code null} if it has no such field
   * @param machineState this replica's current state ({@link StateClock#now()})
   * @param drift how far ahead of the machine an incoming state may be before it is deferred
   *     (GunDB's default is 0)
   */
  public static HamDecision resolve(
      FieldState incoming, FieldState current, double machineState, double drift) {
    double s = incoming.state();
    if (s > machineState + drift) {
      return new HamDecision.Defer(s);
    }
    if (current == null) {
      return HamDecision.ACCEPT;
    }
    double c = current.state();
    if (s < c) {
      return HamDecision.HISTORICAL;
    }
    if (s > c) {
      return HamDecision.ACCEPT;
    }
    int byText = incoming.value().json().compareTo(current.value().json());
    if (byText > 0) {
      return HamDecision.ACCEPT;
    }
    return byText < 0 ? HamDecision.HISTORICAL : HamDecision.EQUAL;
  }

  /** {@link #resolve(FieldState, FieldState, double, double)} with GunDB's default drift of 0. */
  public static HamDecision resolve(FieldState incoming, FieldState current, double machineState) {
    return resolve(incoming, current, machineState, 0);
  }
}
