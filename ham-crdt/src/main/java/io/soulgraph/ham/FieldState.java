package io.soulgraph.ham;

import java.util.Comparator;
import java.util.Objects;

/**
 * A field's value together with its HAM state (milliseconds since the epoch, with a fractional
 * counter part). Immutable.
 *
 * <p>{@link #HAM_ORDER} is the total order every replica merges by: the greater state wins; on
 * equal
 * states the greater JSON text wins (GunDB's {@code JSON.stringify} comparison, by UTF-16 code
 * units, which is {@link String#compareTo}). Taking the maximum under a total order is a
 * join-semilattice (see {@link Ham} for why that matters).
 */
public record FieldState(Value value, double state) {

  /**
   * The merge order: state first, then JSON text. "Greater" wins a merge. The tie-break is the one
   * in GunDB's {@code ham()}: at equal states, {@code JSON.stringify(incoming) >
   * JSON.stringify(current)} applies the incoming value.
   */
  public static final Comparator<FieldState> HAM_ORDER = FieldState::compareHam;

  public FieldState {
    Objects.requireNonNull(value, "value");
    if (!Double.isFinite(state)) {
      throw new IllegalArgumentException("Expected a finite state but received " + state);
    }
    // -0 and 0 are one state to Ham.resolve (primitive ==) and on the wire (both print "0"), but
    // Double.compare orders -0 first: without this, HAM_ORDER and Ham.resolve disagree on ties.
    state = state == 0 ? 0.0 : state;
  }

  /** The greater of two field states under {@link #HAM_ORDER}: the merge of one field. */
  public static FieldState join(FieldState a, FieldState b) {
    return compareHam(a, b) >= 0 ? a : b;
  }

  private static int compareHam(FieldState a, FieldState b) {
    int byState = Double.compare(a.state, b.state);
    return byState != 0 ? byState : a.value.json().compareTo(b.value.json());
  }

  @Override
  public String toString() {
    return value.json() + "@" + JsJson.number(state);
  }
}
