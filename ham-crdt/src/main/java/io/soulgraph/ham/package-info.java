/**
 * Conflict resolution for Soulgraph: pure, small, and dependent on the JDK only.
 *
 * <p>Entry points: {@link io.soulgraph.ham.Ham#resolve} (the per-field HAM rule),
 * {@link io.soulgraph.ham.Resolution#of} (HAM over a whole diff),
 * {@link io.soulgraph.ham.StateClock}
 * (GunDB-compatible states and causal stamps), {@link io.soulgraph.ham.Replica} (the reference
 * replica with deferral and anti-entropy), {@link io.soulgraph.ham.Merge} (the one merge step for
 * writes that arrive with their dots, which the replica and the durable store share) and
 * {@link io.soulgraph.ham.UpdateCursor} (anti-entropy streamed in bounded batches).
 * {@link io.soulgraph.ham.Ham}'s Javadoc explains why the merge converges.
 */
package io.soulgraph.ham;
