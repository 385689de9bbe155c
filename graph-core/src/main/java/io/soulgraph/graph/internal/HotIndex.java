package io.soulgraph.graph.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import java.util.function.Function;

/**
 * The bounded in-memory index of committed field entries in front of the graph, weighed in
 * estimated heap bytes ({@link Weights}), so one wide node counts as much as many small ones. Misses load from the graph. Only committed data enters it, and a commit's changes are
 * laid over an entry atomically with any load of the same soul in flight (both run as
 * per-key computations), so a load that read the graph before a commit can never hide it.
 */
final class HotIndex {

  private final Cache<String, HotNode> cache;
  private final Function<String, HotNode> loader;

  HotIndex(long maxBytes, Function<String, HotNode> loader) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .<String, HotNode>weigher((soul, node) -> node.weight(soul))
            .build();
    this.loader = loader;
  }

  /** The committed state of a soul, loading it on a miss. */
  HotNode get(String soul) {
    return cache.get(soul, loader);
  }

  /** The committed state of a soul, loading it on a miss with {@code missLoader}. */
  HotNode get(String soul, Function<String, HotNode> missLoader) {
    return cache.get(soul, missLoader);
  }

  /** What the index holds for a soul, without loading it; null if nothing. */
  HotNode getIfPresent(String soul) {
    return cache.getIfPresent(soul);
  }

  /** Lays committed changes over a held entry; an absent soul stays absent (loads see them). */
  void afterCommit(String soul, Object vertexId, Map<String, FieldEntry> changed) {
    cache.asMap().compute(soul, (k, old) -> old == null ? null : old.merge(vertexId, changed));
  }

  /** Holds {@code node} as the soul's committed state (a fresh read of a shared cluster). */
  void replace(String soul, HotNode node) {
    cache.put(soul, node);
  }

  long size() {
    return cache.estimatedSize();
  }

  /** Drops what the index holds for these souls: the next read loads them from the graph. */
  void invalidate(Iterable<String> souls) {
    cache.invalidateAll(souls);
  }

  /** The estimated bytes held, once pending evictions have run. */
  long weightedBytes() {
    cache.cleanUp();
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }
}
