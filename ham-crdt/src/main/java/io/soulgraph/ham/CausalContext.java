package io.soulgraph.ham;

import java.util.HashSet;
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
 */
public final class CausalContext {

  private VectorClock vector;
  private final Set<Dot> cloud;

  /** An empty context. */
  public CausalContext() {
    this(VectorClock.EMPTY, Set.of());
  }

  /** A context of a version vector plus dots seen beyond it. */
  public CausalContext(VectorClock vector, Set<Dot> cloud) {
    this.vector = Objects.requireNonNull(vector, "vector");
    this.cloud = new HashSet<>(cloud);
    compact();
  }

  /** True if the dot has been seen. */
  public boolean contains(Dot dot) {
    return dot.counter() <= vector.get(dot.replica()) || cloud.contains(dot);
  }

  /**
   * Records a dot as seen. Costs the dots it joins to the vector, not the cloud's size: a peer
   * that receives another's writes out of counter order (anti-entropy reads them in store order)
   * holds many dots in its cloud until the gaps close.
   */
  public void add(Dot dot) {
    long have = vector.get(dot.replica());
    if (dot.counter() == have + 1) {
      vector = vector.with(dot.replica(), extendThroughCloud(dot.replica(), dot.counter()));
    } else if (dot.counter() > have) {
      cloud.add(dot);
    }
  }

  /** Takes over every dot of {@code other}. */
  public void merge(CausalContext other) {
    vector = vector.merge(other.vector);
    cloud.addAll(other.cloud);
    compact();
  }

  /** The contiguous part: for each replica, every counter up to this one has been seen. */
  public VectorClock vector() {
    return vector;
  }

  /** The dots seen beyond {@link #vector()}. */
  public Set<Dot> cloud() {
    return Set.copyOf(cloud);
  }

  /** An independent copy. */
  public CausalContext copy() {
    return new CausalContext(vector, cloud);
  }

  /** Moves every cloud dot the vector covers or can absorb into the vector: one pass. */
  private void compact() {
    cloud.removeIf(dot -> dot.counter() <= vector.get(dot.replica()));
    Set<String> replicas = new HashSet<>();
    for (Dot dot : cloud) {
      if (dot.counter() == vector.get(dot.replica()) + 1) {
        replicas.add(dot.replica());
      }
    }
    for (String replica : replicas) {
      long next = vector.get(replica) + 1;
      cloud.remove(new Dot(replica, next));
      vector = vector.with(replica, extendThroughCloud(replica, next));
    }
  }

  /** The highest counter reached from {@code counter} by consecutive cloud dots, removed. */
  private long extendThroughCloud(String replica, long counter) {
    long last = counter;
    while (!cloud.isEmpty() && cloud.remove(new Dot(replica, last + 1))) {
      last++;
    }
    return last;
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
    return vector + (cloud.isEmpty() ? "" : "+" + cloud);
  }
}
