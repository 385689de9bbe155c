package io.soulgraph.ham;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * A bounded holding area for updates whose state is ahead of the machine clock. Pure: it sets no
 * timers; the owner asks {@link #due} what to apply whenever its clock advances (and can schedule
 * itself with {@link #nextDue}). Not thread-safe.
 *
 * @param <T> what is held (an {@link Update}, a diff, ...)
 */
public final class DeferredQueue<T> {

  private record Held<T>(double until, long sequence, T item) {}

  private final int capacity;
  private final PriorityQueue<Held<T>> queue =
      new PriorityQueue<>(
          (a, b) -> a.until != b.until ? Double.compare(a.until, b.until)
              : Long.compare(a.sequence, b.sequence));
  private long sequence;

  /**
   * @param capacity the most items held at once
   * @throws IllegalArgumentException if capacity is not positive
   */
  public DeferredQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("Expected a capacity >= 1 but received " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Holds {@code item} until the machine state reaches {@code until}.
   *
   * @return false, holding nothing, if the queue is full
   */
  public boolean offer(T item, double until) {
    if (queue.size() >= capacity) {
      return false;
    }
    queue.add(new Held<>(until, sequence++, item));
    return true;
  }

  /** Removes and returns, oldest state first, every item whose time has come by {@code now}. */
  public List<T> due(double now) {
    List<T> released = new ArrayList<>();
    while (!queue.isEmpty() && queue.peek().until <= now) {
      released.add(queue.poll().item);
    }
    return released;
  }

  /** The earliest state something is held until, or {@code +Infinity} if nothing is held. */
  public double nextDue() {
    Held<T> head = queue.peek();
    return head == null ? Double.POSITIVE_INFINITY : head.until;
  }

  /** True if some item held matches {@code test} (a scan of at most {@link #capacity()} items). */
  public boolean anyHeld(Predicate<? super T> test) {
    for (Held<T> held : queue) {
      if (test.test(held.item)) {
        return true;
      }
    }
    return false;
  }

  /** How many more items fit. */
  public int room() {
    return capacity - queue.size();
  }

  public int size() {
    return queue.size();
  }

  public int capacity() {
    return capacity;
  }
}
