package io.soulgraph.graph.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Bloom filter of every soul that has a vertex, so that a read or a write of a soul that was
 * never stored is answered from memory instead of an index lookup in a backend transaction (a
 * cold {@code get} of an unknown soul, the first put of a new soul).
 *
 * <p>Only for a store alone on its backend (inmemory, berkeleyje) that starts empty: only its
 * writer creates vertices, and it adds each soul before the commit that creates it, so "not in
 * the filter" means "no vertex" ({@link #markComplete} at open). For souls that hash like a
 * stored one (about 1 in 100 with a million souls, fewer below), {@link #surelyAbsent} says false
 * and the caller reads the backend as before. The size is fixed (1 MiB): beyond several million souls the filter
 * answers "maybe" more often, which costs lookups, never correctness.
 */
final class SoulFilter {

  private static final int BITS_LOG2 = 23; // 8 Mi bits = 1 MiB
  private static final long MASK = (1L << BITS_LOG2) - 1;
  private static final int PROBES = 7;

  private final AtomicLongArray words = new AtomicLongArray(1 << (BITS_LOG2 - 6));
  private volatile boolean complete;

  void add(String soul) {
    long h = hash(soul);
    long step = (h >>> 32) | 1;
    for (int i = 0; i < PROBES; i++, h += step) {
      long bit = h & MASK;
      int word = (int) (bit >>> 6);
      long mask = 1L << bit;
      long old = words.get(word);
      while ((old & mask) == 0 && !words.compareAndSet(word, old, old | mask)) {
        old = words.get(word);
      }
    }
  }

  /** Whether the soul certainly has no vertex (always false until {@link #markComplete}). */
  boolean surelyAbsent(String soul) {
    if (!complete) {
      return false;
    }
    long h = hash(soul);
    long step = (h >>> 32) | 1;
    for (int i = 0; i < PROBES; i++, h += step) {
      long bit = h & MASK;
      if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
        return true;
      }
    }
    return false;
  }

  /** Every soul with a vertex has been added (at open: the store holds none). */
  void markComplete() {
    complete = true;
  }

  boolean isComplete() {
    return complete;
  }

  /** A 64-bit hash of the soul's characters (FNV-1a, then a finalizer to spread the bits). */
  private static long hash(String soul) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < soul.length(); i++) {
      h = (h ^ soul.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
