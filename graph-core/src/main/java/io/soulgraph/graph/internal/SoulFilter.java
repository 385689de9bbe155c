package io.soulgraph.graph.internal;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;

/**
 * A Bloom filter of every soul that has a vertex, so that a read or a write of a soul that was
 * never stored is answered from memory instead of an index lookup in a backend transaction (a
 * cold {@code get} of an unknown soul, the first put of a new soul).
 *
 * <p>Only for a store alone on its backend (inmemory, berkeleyje) that opens empty: only its writer
 * creates vertices, and it adds each soul before the commit that creates it, so "not in the
 * filter" means "no vertex". For a soul that hashes like a stored one (about 1 in 100 up to a
 * million souls, more beyond), {@link #surelyAbsent} says false and the caller reads the backend
 * as before: a fuller filter costs lookups, never correctness. Guava's filter is thread-safe and
 * lock-free, so the writer adds while readers ask.
 */
final class SoulFilter {

  private static final int EXPECTED_SOULS = 1_000_000;
  private static final double FALSE_POSITIVES = 0.01;

  private final BloomFilter<CharSequence> souls =
      BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), EXPECTED_SOULS,
          FALSE_POSITIVES);

  void add(String soul) {
    souls.put(soul);
  }

  /** Whether the soul certainly has no vertex. */
  boolean surelyAbsent(String soul) {
    return !souls.mightContain(soul);
  }
}
