package io.soulgraph.ham;

/**
 * What HAM decides for one incoming field: a value, not a side effect. The caller applies,
 * discards, or holds the update. Switch on {@link #outcome()}.
 */
public sealed interface HamDecision {

  /** Apply the incoming value: its state is newer, or equal with a greater JSON text. */
  Accept ACCEPT = new Accept();
  /** Discard: older state, or equal state with a smaller JSON text. */
  Historical HISTORICAL = new Historical();
  /** Discard: exactly the current value at exactly the current state (a duplicate). */
  Equal EQUAL = new Equal();

  /** The four outcomes, for switching. */
  enum Outcome { ACCEPT, HISTORICAL, EQUAL, DEFER }

  /** Which of the four decisions this is. */
  Outcome outcome();

  /** Apply the incoming value. */
  record Accept() implements HamDecision {
    @Override
    public Outcome outcome() {
      return Outcome.ACCEPT;
    }
  }

  /** The incoming value lost: it is history. */
  record Historical() implements HamDecision {
    @Override
    public Outcome outcome() {
      return Outcome.HISTORICAL;
    }
  }

  /** The incoming value is what we already have. */
  record Equal() implements HamDecision {
    @Override
    public Outcome outcome() {
      return Outcome.EQUAL;
    }
  }

  /**
   * The incoming state is ahead of the machine clock: hold it and decide again once the machine
   * state reaches {@code until}.
   */
  record Defer(double until) implements HamDecision {
    @Override
    public Outcome outcome() {
      return Outcome.DEFER;
    }
  }
}
