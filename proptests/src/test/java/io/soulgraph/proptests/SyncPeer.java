package io.soulgraph.proptests;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import java.util.List;
import java.util.Set;

/**
 * A peer that runs anti-entropy: an in-memory {@link io.soulgraph.ham.Replica} ({@link HamPeer})
 * or a real {@link io.soulgraph.graph.SoulStore} ({@link StorePeer}), so that {@link AntiEntropy}
 * streams between any two of them the same way.
 */
interface SyncPeer {

  String id();

  /** The dots this peer has seen. */
  CausalContext context();

  /** What the peer with {@code remote} lacks, {@code maxBatch} writes at a time. */
  UpdateCursor missingFor(CausalContext remote, int maxBatch);

  /** One batch of a stream; the sender's context with the last, else null. */
  void applyAntiEntropy(List<Update> batch, CausalContext senderContext);

  /** Dots of writes this peer is known to have decided (a subset of what it has seen). */
  Set<Dot> decided();
}
