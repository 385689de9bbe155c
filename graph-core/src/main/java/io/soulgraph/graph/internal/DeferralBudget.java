package io.soulgraph.graph.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The bytes held in the deferral area, in all and per origin, so that one connection sending
 * future states cannot fill the heap nor crowd out the others. Used by the writer thread only.
 */
final class DeferralBudget {

  private final long maxBytes;
  private final long maxBytesPerOrigin;
  private final Map<Object, Long> byOrigin = new HashMap<>();
  private long total;

  DeferralBudget(long maxBytes, long maxBytesPerOrigin) {
    this.maxBytes = maxBytes;
    this.maxBytesPerOrigin = maxBytesPerOrigin;
  }

  /**
   * Why {@code bytes} more for {@code origin} do not fit, given {@code extraTotal} and
   * {@code extraOfOrigin} already promised in the batch being assembled; null if they fit.
   */
  String refusal(Object origin, long bytes, long extraTotal, long extraOfOrigin) {
    if (total + extraTotal + bytes > maxBytes) {
      return "Expected room for " + bytes + " bytes of deferred (future-state) fields but the"
          + " deferral area holds " + (total + extraTotal) + " of its " + maxBytes + " bytes";
    }
    long mine = origin == null ? 0 : byOrigin.getOrDefault(origin, 0L) + extraOfOrigin;
    if (origin != null && mine + bytes > maxBytesPerOrigin) {
      return "Expected room for " + bytes + " bytes of deferred (future-state) fields but this"
          + " connection already holds " + mine + " of its " + maxBytesPerOrigin + " bytes there";
    }
    return null;
  }

  void add(Pending p) {
    long bytes = p.bytes();
    total += bytes;
    if (p.origin() != null) {
      byOrigin.merge(p.origin(), bytes, Long::sum);
    }
  }

  void remove(Pending p) {
    long bytes = p.bytes();
    total -= bytes;
    if (p.origin() != null) {
      byOrigin.computeIfPresent(p.origin(), (o, held) -> held - bytes <= 0 ? null : held - bytes);
    }
  }

  long total() {
    return total;
  }
}
