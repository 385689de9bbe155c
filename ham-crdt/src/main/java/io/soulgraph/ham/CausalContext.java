package io.soulgraph.ham;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The set of dots a replica has seen, kept compact: a version vector for each replica's contiguous
 * prefix of counters, plus the few dots seen out of order. Mutable and not thread-safe.
 *
 * <p>Invariant kept by {@link Replica}: for every dot in the context, the write it names is less
 * than or equal (in {@link FieldState#HAM_ORDER}) to what the replica holds for that field.
 * A dot is
 * only added once its write is applied or dominated, never while it is deferred. Hence a peer whose
 * context lacks a dot is sent that write, and after receiving every write it lacked from a sender
 * it may take over the sender's whole context ({@link #merge}). Superseded writes are never sent
 * again; taking over the context is what fills the gaps they would otherwise leave.
 *
 * <p>The cloud is kept per replica as a bitmap of counters ({@link CounterBits}), so that a peer
 * receiving writes in any order (anti-entropy reads them in store order) pays about a bit per
 * out-of-order dot, and {@link #add}, {@link #contains} and {@link #copy} stay cheap when the
 * cloud holds most of a long catch-up. Hot paths use {@link #cloudSize()} and
 * {@link #forEachCloudWord}, not {@link #cloud()}, which builds a set of every dot.
 */
public final class CausalContext {

  /** Receives one 64-bit word of a replica's cloud: counter {@code index * 64 + b} is in it
   * for every set bit {@code b} of {@code bits}. */
  @FunctionalInterface
  public interface CloudWordConsumer {
    void accept(String replica, long index, long bits);
  }

  private VectorClock vector;
  /** Dots beyond the vector, per replica; never holds an empty bitmap, nor a counter the vector
   * covers, nor the counter right after the vector's. */
  private final Map<String, CounterBits> cloud;

  /** An empty context. */
  public CausalContext() {
    this.vector = VectorClock.EMPTY;
    this.cloud = new HashMap<>();
  }

  /** A context of a version vector plus dots seen beyond it. */
  public CausalContext(VectorClock vector, Set<Dot> cloud) {
    this.vector = Objects.requireNonNull(vector, "vector");
    this.cloud = new HashMap<>();
    for (Dot dot : cloud) {
      if (dot.counter() > vector.get(dot.replica())) {
        this.cloud.computeIfAbsent(dot.replica(), r -> new CounterBits()).add(dot.counter());
      }
    }
    compact();
  }

  private CausalContext(VectorClock vector, Map<String, CounterBits> cloud) {
    this.vector = vector;
    this.cloud = cloud;
  }

  /**
   * A context of a version vector plus cloud words as handed out by {@link #forEachCloudWord}
   * (per replica, word index to bits; words the vector covers are ignored).
   */
  public static CausalContext ofCloudWords(VectorClock vector,
      Map<String, ? extends Map<Long, Long>> words) {
    CausalContext context = new CausalContext(Objects.requireNonNull(vector, "vector"),
        new HashMap<>());
    words.forEach((replica, byIndex) -> {
      CounterBits bits = new CounterBits();
      byIndex.forEach(bits::addWord);
      context.cloud.put(replica, bits);
    });
    context.compact();
    return context;
  }

  /** True if the dot has been seen. */
  public boolean contains(Dot dot) {
    if (dot.counter() <= vector.get(dot.replica())) {
      return true;
    }
    CounterBits bits = cloud.get(dot.replica());
    return bits != null && bits.contains(dot.counter());
  }

  /**
   * Records a dot as seen. Costs the words of the run it joins to the vector, not the cloud's
   * size.
   */
  public void add(Dot dot) {
    String replica = dot.replica();
    long have = vector.get(replica);
    if (dot.counter() == have + 1) {
      CounterBits bits = cloud.get(replica);
      long last = dot.counter();
      if (bits != null) {
        last = bits.runEnd(last + 1);
        bits.removeThrough(last);
        if (bits.isEmpty()) {
          cloud.remove(replica);
        }
      }
      vector = vector.with(replica, last);
    } else if (dot.counter() > have) {
      cloud.computeIfAbsent(replica, r -> new CounterBits()).add(dot.counter());
    }
  }

  /** Takes over every dot of {@code other}. */
  public void merge(CausalContext other) {
    vector = vector.merge(other.vector);
    other.cloud.forEach(
        (replica, theirs) -> cloud.computeIfAbsent(replica, r -> new CounterBits()).addAll(theirs));
    compact();
  }

  /** The contiguous part: for each replica, every counter up to this one has been seen. */
  public VectorClock vector() {
    return vector;
  }

  /** The dots seen beyond {@link #vector()}, as a new set (costs one object per dot). */
  public Set<Dot> cloud() {
    Set<Dot> dots = new HashSet<>();
    cloud.forEach((replica, bits) -> bits.forEach(n -> dots.add(new Dot(replica, n))));
    return Set.copyOf(dots);
  }

  /** How many dots are seen beyond {@link #vector()}. */
  public int cloudSize() {
    int size = 0;
    for (CounterBits bits : cloud.values()) {
      size += bits.size();
    }
    return size;
  }

  /** Hands out the cloud as 64-bit words, each replica's in increasing index order. */
  public void forEachCloudWord(CloudWordConsumer action) {
    cloud.forEach((replica, bits) -> {
      for (Iterator<Map.Entry<Long, Long>> it = bits.words(); it.hasNext(); ) {
        Map.Entry<Long, Long> word = it.next();
        action.accept(replica, word.getKey(), word.getValue());
      }
    });
  }

  /** An independent copy. */
  public CausalContext copy() {
    Map<String, CounterBits> copied = new HashMap<>();
    cloud.forEach((replica, bits) -> copied.put(replica, bits.copy()));
    return new CausalContext(vector, copied);
  }

  /**
   * Drops the cloud's counters the vector covers and advances the vector over each replica's
   * leading run of set counters.
   */
  private void compact() {
    for (Iterator<Map.Entry<String, CounterBits>> it = cloud.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, CounterBits> e = it.next();
      String replica = e.getKey();
      CounterBits bits = e.getValue();
      long have = vector.get(replica);
      bits.removeThrough(have);
      long last = bits.runEnd(have + 1);
      if (last > have) {
        bits.removeThrough(last);
        vector = vector.with(replica, last);
      }
      if (bits.isEmpty()) {
        it.remove();
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CausalContext other
        && vector.equals(other.vector)
        && cloud.equals(other.cloud);
  }

  @Override
  public int hashCode() {
    return vector.hashCode() * 31 + cloud.hashCode();
  }

  @Override
  public String toString() {
    return vector + (cloud.isEmpty() ? "" : "+" + cloud());
  }
}
