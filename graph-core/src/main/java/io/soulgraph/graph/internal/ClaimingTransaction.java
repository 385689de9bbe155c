package io.soulgraph.graph.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.janusgraph.diskstorage.BackendException;
import org.janusgraph.diskstorage.BaseTransactionConfig;
import org.janusgraph.diskstorage.StaticBuffer;
import org.janusgraph.diskstorage.keycolumnvalue.StoreTransaction;
import org.janusgraph.diskstorage.locking.PermanentLockingException;

/**
 * A transaction of {@link ClaimingCqlStoreManager}: the locks JanusGraph asks for while it
 * prepares a commit are collected, and settled together before the commit's first write.
 */
final class ClaimingTransaction implements StoreTransaction {

  /** A locked cell: a column of a key in a table. */
  record Cell(ClaimingStore store, StaticBuffer key, StaticBuffer column) {}

  private final StoreTransaction plain;
  private final StoreTransaction consistent;
  private final LockClaims lockClaims;
  /** Each locked cell and the value the transaction read in it (null: it read none). */
  private final Map<Cell, StaticBuffer> expected = new LinkedHashMap<>();
  private List<LockClaims.Claim> held = List.of();
  private boolean mutationStarted;

  ClaimingTransaction(StoreTransaction plain, StoreTransaction consistent,
      LockClaims lockClaims) {
    this.plain = plain;
    this.consistent = consistent;
    this.lockClaims = lockClaims;
  }

  /** The transaction the CQL table reads with: the configured consistency. */
  static StoreTransaction reads(StoreTransaction txh) {
    return txh instanceof ClaimingTransaction claiming ? claiming.plain : txh;
  }

  void expect(ClaimingStore store, StaticBuffer key, StaticBuffer column, StaticBuffer value)
      throws PermanentLockingException {
    if (mutationStarted) {
      throw new PermanentLockingException("A lock was asked for after the commit began writing");
    }
    // JanusGraph's rule: the first value read is the one the commit decided on
    expected.putIfAbsent(new Cell(store, key, column), value);
  }

  /**
   * Before the first write: claims every locked cell, waits out the lock wait, checks that this
   * transaction's claims are the earliest and that every locked cell still holds what it read.
   * Returns the transaction the writes use: key-consistent when anything is locked.
   */
  StoreTransaction prepareForMutations() throws BackendException {
    if (!mutationStarted) {
      if (!expected.isEmpty()) {
        try {
          held = lockClaims.claim(expected.keySet());
          lockClaims.checkExpectedValues(expected, consistent);
        } catch (BackendException | RuntimeException e) {
          release();
          // still not started: JanusGraph retries a write that failed for a temporary reason (a
          // lock held by another writer) in place, and that retry must claim again, not write
          throw e;
        }
      }
      mutationStarted = true;
    }
    return expected.isEmpty() ? plain : consistent;
  }

  @Override
  public void commit() throws BackendException {
    try {
      plain.commit();
      consistent.commit();
    } finally {
      release();
    }
  }

  @Override
  public void rollback() throws BackendException {
    try {
      plain.rollback();
      consistent.rollback();
    } finally {
      release();
    }
  }

  private void release() {
    List<LockClaims.Claim> claims = held;
    held = List.of();
    lockClaims.release(claims);
  }

  @Override
  public BaseTransactionConfig getConfiguration() {
    return plain.getConfiguration();
  }
}
