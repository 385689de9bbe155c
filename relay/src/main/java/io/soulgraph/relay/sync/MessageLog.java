package io.soulgraph.relay.sync;

import io.soulgraph.relay.gun.MessageIds;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The message ids seen in the last window (GunDB: 9 s), across all connections, and where each came
 * from. It de-duplicates (a known id is dropped whichever connection it arrives on; seeing it again
 * refreshes its window) and routes replies ({@code @}) back to the connection the referenced
 * message came from. Bounded in count and in bytes (ids are peer-chosen strings): past either
 * bound the oldest ids are forgotten early. Thread-safe.
 *
 * <p>The relay's own messages (acks, pushes, replies: several per put) take their ids from
 * {@link #nextOwnId}: a random prefix of this log's and a counter. Such an id is known as the
 * relay's own by its prefix, without being stored: its echoes are dropped and replies to it
 * consumed, at any age. Storing them, each for the whole window, made them most of what survived
 * a young collection under load, and the copying of them most of each GC pause.
 *
 * <p>For the same reason a peer's id costs one map entry and its string: arrival order is kept in
 * two parallel arrays (a ring), not in an object per id.
 */
public final class MessageLog {

  /** Long enough that a peer's random id starts with it by chance once in 62^8 (2e14). */
  private static final int OWN_PREFIX_LENGTH = 8;

  private static final int MIN_RING = 1024;

  private final long windowNanos;
  private final int capacity;
  private final long maxBytes;
  private final LongSupplier nanoTime;
  private final String ownPrefix = MessageIds.random(OWN_PREFIX_LENGTH);
  private final AtomicLong ownCounter = new AtomicLong();

  // Guarded by this. HashMap, not a hand-made table: ids are peer-chosen, and its trees keep
  // colliding ones cheap.
  private final Map<String, Session> origins = new HashMap<>();
  /** Ids seen again within their window, with when: their window restarts from there. */
  private final Map<String, Long> seenAgain = new HashMap<>();
  /** Each remembered id once, oldest first, with the time it was queued. */
  private String[] ringIds = new String[MIN_RING];
  private long[] ringAt = new long[MIN_RING];
  private int ringHead;
  private int ringSize;
  private long bytes;

  public MessageLog(java.time.Duration window, int capacity, LongSupplier nanoTime) {
    this(window, capacity, Long.MAX_VALUE, nanoTime);
  }

  /**
   * @param capacity the most ids remembered
   * @param maxBytes the most estimated heap bytes of remembered ids
   */
  public MessageLog(
      java.time.Duration window, int capacity, long maxBytes, LongSupplier nanoTime) {
    this.windowNanos = window.toNanos();
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.nanoTime = nanoTime;
  }

  /** Estimated heap bytes of one remembered id: map entry, ring slots, the string. */
  static long weight(String id) {
    return 128 + 2L * id.length();
  }

  /** A fresh id for a message the relay sends: known as its own from then on, never stored. */
  public String nextOwnId() {
    return ownPrefix + Long.toString(ownCounter.getAndIncrement(), Character.MAX_RADIX);
  }

  private boolean isOwn(String id) {
    return id.length() > OWN_PREFIX_LENGTH && id.startsWith(ownPrefix);
  }

  /**
   * Records a message that arrived from {@code origin}.
   *
   * @return true if the id is new; false for a duplicate (its window is refreshed) or an echo of
   *     the relay's own
   */
  public boolean firstSeen(String id, Session origin) {
    Objects.requireNonNull(origin, "origin");
    if (isOwn(id)) {
      return false;
    }
    long now = nanoTime.getAsLong();
    synchronized (this) {
      expire(now);
      if (origins.putIfAbsent(id, origin) != null) {
        seenAgain.put(id, now);
        return false;
      }
      enqueue(id, now);
      bytes += weight(id);
      evictIfOver();
      return true;
    }
  }

  /**
   * Where a reply to {@code id} must go: the peer it came from; empty if the id is unknown,
   * expired, or the relay's own.
   */
  public Optional<Session> routeOf(String id) {
    if (isOwn(id)) {
      return Optional.empty();
    }
    long now = nanoTime.getAsLong();
    synchronized (this) {
      expire(now);
      return Optional.ofNullable(origins.get(id));
    }
  }

  /** Forgets ids whose window has passed. Call periodically. */
  public void sweep() {
    long now = nanoTime.getAsLong();
    synchronized (this) {
      expire(now);
    }
  }

  private void expire(long now) {
    while (ringSize > 0 && now - ringAt[ringHead] > windowNanos) {
      String id = dequeue();
      Long again = seenAgain.remove(id);
      if (again != null && now - again <= windowNanos) {
        enqueue(id, again); // seen since: its window ends later (it may wait a little longer)
      } else {
        forget(id);
      }
    }
    if (ringIds.length > MIN_RING && ringSize < ringIds.length / 4) {
      resize(ringIds.length / 2); // give back what a burst took
    }
  }

  private void evictIfOver() {
    while (ringSize > 0 && (origins.size() > capacity || bytes > maxBytes)) {
      String id = dequeue();
      seenAgain.remove(id);
      forget(id);
    }
  }

  private void forget(String id) {
    if (origins.remove(id) != null) {
      bytes -= weight(id);
    }
  }

  private void enqueue(String id, long at) {
    if (ringSize == ringIds.length) {
      resize(ringIds.length * 2);
    }
    int tail = (ringHead + ringSize) % ringIds.length;
    ringIds[tail] = id;
    ringAt[tail] = at;
    ringSize++;
  }

  private String dequeue() {
    String id = ringIds[ringHead];
    ringIds[ringHead] = null;
    ringHead = (ringHead + 1) % ringIds.length;
    ringSize--;
    return id;
  }

  private void resize(int length) {
    String[] ids = new String[length];
    long[] at = new long[length];
    for (int i = 0; i < ringSize; i++) {
      int from = (ringHead + i) % ringIds.length;
      ids[i] = ringIds[from];
      at[i] = ringAt[from];
    }
    ringIds = ids;
    ringAt = at;
    ringHead = 0;
  }

  /** Estimated heap bytes of the remembered ids. */
  public synchronized long bytes() {
    return bytes;
  }

  /** How many ids are remembered. */
  public synchronized int size() {
    return origins.size();
  }
}
