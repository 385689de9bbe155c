package io.soulgraph.graph.internal;

import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;

/**
 * A deferred field, held until its state comes.
 *
 * @param dot the dot it arrived with (anti-entropy), or null for a put (a dot is assigned when it
 *     lands)
 * @param origin the put's origin (the connection), or null; its share of the deferral area is
 *     bounded ({@link DeferralBudget})
 */
record Pending(String soul, String field, FieldState fieldState, Dot dot, Object origin) {

  /** Estimated heap bytes held for it. */
  long bytes() {
    return 2L * soul.length() + Weights.field(field, fieldState);
  }
}
