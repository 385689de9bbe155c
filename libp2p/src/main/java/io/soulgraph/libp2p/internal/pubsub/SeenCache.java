package io.soulgraph.libp2p.internal.pubsub;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of messages seen recently, forgotten after a TTL or when more than {@code capacity} are
 * held (oldest first), so a flood of distinct ids cannot grow it without bound. Thread-safe: the I/O threads ask it before paying for a signature check.
 */
public final class SeenCache {
  private final LinkedHashMap<MessageId, Long> seenAt = new LinkedHashMap<>();
  private final long ttlNanos;
  private final int capacity;

  public SeenCache(long ttlNanos, int capacity) {
    this.ttlNanos = ttlNanos;
    this.capacity = capacity;
  }

  /** Records {@code id}; false if it was already there. */
  public synchronized boolean add(MessageId id, long now) {
    if (seenAt.containsKey(id)) {
      return false;
    }
    seenAt.put(id, now);
    if (seenAt.size() > capacity) {
      Iterator<MessageId> it = seenAt.keySet().iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  public synchronized boolean contains(MessageId id) {
    return seenAt.containsKey(id);
  }

  /** Forgets the ids older than the TTL; insertion order is age order. */
  public synchronized void expire(long now) {
    Iterator<Map.Entry<MessageId, Long>> it = seenAt.entrySet().iterator();
    while (it.hasNext() && now - it.next().getValue() > ttlNanos) {
      it.remove();
    }
  }

  public synchronized int size() {
    return seenAt.size();
  }
}
