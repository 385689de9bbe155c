package io.soulgraph.ham;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * A set of one replica's counters kept as 64-bit words keyed by word index ({@code counter >>> 6};
 * bit {@code counter & 63}). Only non-zero words are held, so a dense run costs a bit per counter
 * and a lone far counter costs one word, whatever the gap before it. Mutable; copies share no
 * state (the words are immutable {@code Long}s).
 */
final class CounterBits {

  private final TreeMap<Long, Long> words;
  private int size;

  CounterBits() {
    this(new TreeMap<>(), 0);
  }

  private CounterBits(TreeMap<Long, Long> words, int size) {
    this.words = words;
    this.size = size;
  }

  CounterBits copy() {
    return new CounterBits(new TreeMap<>(words), size);
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  boolean contains(long counter) {
    Long word = words.get(counter >>> 6);
    return word != null && (word & bit(counter)) != 0;
  }

  void add(long counter) {
    long index = counter >>> 6;
    long word = words.getOrDefault(index, 0L);
    long with = word | bit(counter);
    if (with != word) {
      words.put(index, with);
      size++;
    }
  }

  /** Adds every counter set in {@code bits} of word {@code index}. */
  void addWord(long index, long bits) {
    long word = words.getOrDefault(index, 0L);
    long with = word | bits;
    if (with != word) {
      words.put(index, with);
      size += Long.bitCount(with) - Long.bitCount(word);
    }
  }

  /** Adds every counter of {@code other}. */
  void addAll(CounterBits other) {
    other.words.forEach(this::addWord);
  }

  /** Removes every counter up to and including {@code counter}. */
  void removeThrough(long counter) {
    long index = counter >>> 6;
    Map<Long, Long> below = words.headMap(index, false);
    for (long word : below.values()) {
      size -= Long.bitCount(word);
    }
    below.clear();
    Long word = words.get(index);
    if (word != null) {
      long kept = (counter & 63) == 63 ? 0 : word & (-1L << ((counter & 63) + 1));
      size -= Long.bitCount(word) - Long.bitCount(kept);
      if (kept == 0) {
        words.remove(index);
      } else {
        words.put(index, kept);
      }
    }
  }

  /**
   * The last counter of the run of consecutive set counters starting at {@code from}, or
   * {@code from - 1} if {@code from} is not set. Costs one step per word of the run.
   */
  long runEnd(long from) {
    long counter = from;
    while (true) {
      Long word = words.get(counter >>> 6);
      if (word == null) {
        return counter - 1;
      }
      int shift = (int) (counter & 63);
      int ones = Long.numberOfTrailingZeros(~(word >>> shift));
      if (ones < 64 - shift) {
        return counter + ones - 1;
      }
      counter += 64 - shift;
    }
  }

  void forEach(LongConsumer action) {
    for (Map.Entry<Long, Long> e : words.entrySet()) {
      long base = e.getKey() << 6;
      long word = e.getValue();
      while (word != 0) {
        action.accept(base + Long.numberOfTrailingZeros(word));
        word &= word - 1;
      }
    }
  }

  /** Each non-zero word in index order. */
  Iterator<Map.Entry<Long, Long>> words() {
    return words.entrySet().iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CounterBits other && words.equals(other.words);
  }

  @Override
  public int hashCode() {
    return words.hashCode();
  }

  private static long bit(long counter) {
    return 1L << (counter & 63);
  }
}
