package io.soulgraph.relay.sync;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The places under {@code --max-connections}: one for each open session, and one for each
 * handshake a transport accepted whose session has not opened yet. Counting open sessions alone
 * let a burst of WebSocket handshakes all pass the check before the first session opened; the
 * connections over the limit were then accepted and closed again, where the limit promises a
 * refused handshake. A place held for a handshake whose session never opens (the upgrade failed
 * after the check) lapses after {@link #HOLD_NANOS}, so failed handshakes cannot shrink the limit.
 */
final class ConnectionPlaces {

  /** How long a handshake's place waits for its session: an upgrade takes milliseconds. */
  static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int max;
  private final LongSupplier clock;
  /** When each held place lapses, oldest first (all are held for the same time). */
  private final ArrayDeque<Long> held = new ArrayDeque<>();
  private int open;

  ConnectionPlaces(int max, LongSupplier clock) {
    this.max = max;
    this.clock = clock;
  }

  /** Holds a place for a handshake, if one is free. */
  synchronized boolean hold() {
    lapse();
    if (open + held.size() >= max) {
      return false;
    }
    held.addLast(clock.getAsLong() + HOLD_NANOS);
    return true;
  }

  /** A handshake ended without a session: its place is free again. */
  synchronized void unhold() {
    held.pollFirst(); // places are interchangeable: the oldest is the likeliest to lapse anyway
  }

  /**
   * A session opens: in the place its handshake held, if it held one that has not lapsed, or else
   * in a free place, if there is one.
   */
  synchronized boolean take(boolean wasHeld) {
    lapse();
    if (wasHeld && !held.isEmpty()) {
      held.pollFirst();
    } else if (open + held.size() >= max) {
      return false;
    }
    open++;
    return true;
  }

  /** A session closed. */
  synchronized void release() {
    open--;
  }

  private void lapse() {
    long now = clock.getAsLong();
    while (!held.isEmpty() && held.peekFirst() - now <= 0) {
      held.pollFirst();
    }
  }
}
