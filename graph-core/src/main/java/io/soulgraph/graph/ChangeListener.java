package io.soulgraph.graph;

import io.soulgraph.ham.Graph;

/** Learns of every change the store accepted, after it is committed. */
@FunctionalInterface
public interface ChangeListener {

  /**
   * Called once per committed batch, on a store thread; must not block.
   *
   * @param changes the accepted fields (only those)
   * @param origin the tag given to {@link SoulStore#put} or {@link SoulStore#applyAntiEntropy},
   *     or {@code null} for deferred fields that landed
   */
  void onChange(Graph changes, Object origin);
}
