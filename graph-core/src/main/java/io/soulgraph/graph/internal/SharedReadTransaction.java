package io.soulgraph.graph.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;

/**
 * One read-only JanusGraph transaction shared by the reads of a store alone on its backend,
 * concurrent and successive, instead of one begun per read (beginning one builds its vertex and
 * index caches, which dominated cold reads).
 *
 * <p>A transaction caches what it read, so it may show a soul as it was when first read in it.
 * It is therefore replaced once a commit lands: a read picks the commit count before it picks
 * the transaction, and a transaction begun under an older count is not used again. The writer
 * calls {@link #committed()} after each commit and before the hot index takes the commit's
 * changes, and a hot-index load runs as a per-soul computation that excludes the index taking
 * changes of that soul: so a load that begins after the index took a commit reads in a
 * transaction begun after that commit, and a load already under way has the commit laid over its
 * result (see {@link HotIndex}). It is also replaced after {@link #MAX_READS} reads or
 * {@link #MAX_AGE_NANOS}, so its caches stay small. Only a transaction no read uses any more is
 * ended. JanusGraph's transactions that are not thread-bound may be used by several threads.
 */
final class SharedReadTransaction {

  /** Reads after which a fresh transaction is begun (bounds the one's vertex cache). */
  static final int MAX_READS = 1_000;

  /** Age after which a fresh transaction is begun. */
  static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final JanusGraph graph;
  private final AtomicLong commits = new AtomicLong();
  private Lease current; // guarded by this
  private boolean closed; // guarded by this

  SharedReadTransaction(JanusGraph graph) {
    this.graph = graph;
  }

  /** Runs {@code reading} in the shared transaction (a fresh one if the store is closing). */
  <T> T read(Function<JanusGraphTransaction, T> reading) {
    Lease lease = acquire();
    try {
      return reading.apply(lease.tx);
    } finally {
      release(lease);
    }
  }

  /** A commit landed: reads from now on use a transaction begun after it. */
  void committed() {
    commits.incrementAndGet();
    retireCurrent();
  }

  /** Ends the shared transaction once its reads are done; later reads each use their own. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    retireCurrent();
  }

  private Lease acquire() {
    long seen = commits.get();
    long now = System.nanoTime();
    Lease ended = null;
    Lease lease;
    synchronized (this) {
      if (current != null && (current.commits != seen || current.reads >= MAX_READS
          || now - current.begunAt > MAX_AGE_NANOS)) {
        ended = retire(current);
        current = null;
      }
      if (current == null) {
        lease = new Lease(graph.buildTransaction().readOnly().start(), seen, now);
        if (closed) {
          lease.retired = true; // used by this read only
        } else {
          current = lease;
        }
      } else {
        lease = current;
      }
      lease.users++;
      lease.reads++;
    }
    if (ended != null) {
      ended.end();
    }
    return lease;
  }

  private void release(Lease lease) {
    boolean end;
    synchronized (this) {
      lease.users--;
      end = lease.retired && lease.users == 0;
    }
    if (end) {
      lease.end();
    }
  }

  private void retireCurrent() {
    Lease ended;
    synchronized (this) {
      ended = current == null ? null : retire(current);
      current = null;
    }
    if (ended != null) {
      ended.end();
    }
  }

  /** Marks a lease retired; returns it if no read uses it (the caller ends it), else null. */
  private static Lease retire(Lease lease) {
    lease.retired = true;
    return lease.users == 0 ? lease : null;
  }

  /** A transaction, the commit count it was begun under, and the reads using it. */
  private static final class Lease {
    final JanusGraphTransaction tx;
    final long commits;
    final long begunAt;
    int users; // guarded by the SharedReadTransaction
    int reads; // guarded by the SharedReadTransaction
    boolean retired; // guarded by the SharedReadTransaction

    Lease(JanusGraphTransaction tx, long commits, long begunAt) {
      this.tx = tx;
      this.commits = commits;
      this.begunAt = begunAt;
    }

    void end() {
      if (tx.isOpen()) {
        tx.rollback();
      }
    }
  }
}
