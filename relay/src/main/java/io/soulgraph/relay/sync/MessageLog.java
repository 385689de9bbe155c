package io.soulgraph.relay.sync;

import io.soulgraph.relay.gun.MessageIds;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 */
public final class MessageLog {

  private record Entry(Session origin, long expiresAt) {}

  private record Arrival(String id, long at) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
  private final long windowNanos;
  private final int capacity;
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();
  private final LongSupplier nanoTime;
  private final String ownPrefix = MessageIds.random(OWN_PREFIX_LENGTH);
  private final AtomicLong ownCounter = new AtomicLong();

  /** Long enough that a peer's random id starts with it by chance once in 62^8 (2e14). */
  private static final int OWN_PREFIX_LENGTH = 8;

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

  /** Estimated heap bytes of one remembered id: map entry, records, the string. */
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
    if (isOwn(id)) {
      return false;
    }
    long now = nanoTime.getAsLong();
    Entry fresh = new Entry(origin, now + windowNanos);
    Entry previous = entries.putIfAbsent(id, fresh);
    if (previous != null) {
      entries.replace(id, previous, new Entry(previous.origin(), now + windowNanos));
      return false;
    }
    arrivals.add(new Arrival(id, now));
    bytes.addAndGet(weight(id));
    evictIfOver();
    return true;
  }

  /**
   * Records an id this relay sent that {@link #nextOwnId} did not make, so that its echoes are
   * dropped and its replies consumed for the window.
   */
  public void recordOwn(String id) {
    firstSeen(id, null);
  }

  /**
   * Where a reply to {@code id} must go: the peer it came from; empty if the id is unknown,
   * expired, or the relay's own.
   */
  public Optional<Session> routeOf(String id) {
    if (isOwn(id)) {
      return Optional.empty();
    }
    Entry entry = entries.get(id);
    if (entry == null || entry.expiresAt() - nanoTime.getAsLong() < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(entry.origin());
  }

  /** Forgets ids whose window has passed. Call periodically. */
  public void sweep() {
    long now = nanoTime.getAsLong();
    Arrival head;
    while ((head = arrivals.peek()) != null && now - head.at() > windowNanos) {
      arrivals.poll();
      Entry entry = entries.get(head.id());
      if (entry != null && entry.expiresAt() - now <= 0) {
        if (entries.remove(head.id(), entry)) {
          bytes.addAndGet(-weight(head.id()));
        }
      } else if (entry != null) {
        arrivals.add(new Arrival(head.id(), now)); // refreshed since: check again later
      }
    }
  }

  private void evictIfOver() {
    while (entries.size() > capacity || bytes.get() > maxBytes) {
      Arrival oldest = arrivals.poll();
      if (oldest == null) {
        return;
      }
      if (entries.remove(oldest.id()) != null) {
        bytes.addAndGet(-weight(oldest.id()));
      }
    }
  }

  /** Estimated heap bytes of the remembered ids. */
  public long bytes() {
    return bytes.get();
  }

  /** How many ids are remembered. */
  public int size() {
    return entries.size();
  }
}
