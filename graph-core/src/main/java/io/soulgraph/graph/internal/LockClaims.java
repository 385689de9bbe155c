package io.soulgraph.graph.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.janusgraph.diskstorage.BackendException;
import org.janusgraph.diskstorage.Entry;
import org.janusgraph.diskstorage.EntryList;
import org.janusgraph.diskstorage.EntryMetaData;
import org.janusgraph.diskstorage.StaticBuffer;
import org.janusgraph.diskstorage.TemporaryBackendException;
import org.janusgraph.diskstorage.keycolumnvalue.KCVMutation;
import org.janusgraph.diskstorage.keycolumnvalue.SliceQuery;
import org.janusgraph.diskstorage.keycolumnvalue.StoreTransaction;
import org.janusgraph.diskstorage.locking.PermanentLockingException;
import org.janusgraph.diskstorage.locking.TemporaryLockingException;
import org.janusgraph.diskstorage.locking.consistentkey.ExpiredLockException;
import org.janusgraph.diskstorage.util.BufferUtil;
import org.janusgraph.diskstorage.util.StaticArrayBuffer;
import org.janusgraph.diskstorage.util.StaticArrayEntry;
import org.janusgraph.diskstorage.util.time.TimestampProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locks of one commit, settled together: JanusGraph's consistent-key locking protocol with each of
 * its steps done for all of the commit's cells in one parallel round instead of cell by cell.
 *
 * <ol>
 *   <li>Claim: one column per locked cell, named by the claim's timestamp and a random nonce,
 *       written at QUORUM in one round. A claim whose write took longer than the lock wait is
 *       taken back and made again: another writer who stamped later may already have checked
 *       without seeing it.</li>
 *   <li>Wait until the claim's timestamp plus {@code storage.lock.wait-time}: every claim stamped
 *       earlier has been written by then (on one cluster clock, give or take the skew the wait
 *       must cover).</li>
 *   <li>Check: read every cell's claims in one round; ours must be the earliest unexpired one,
 *       otherwise another writer holds the cell and the commit fails with a
 *       {@link TemporaryLockingException} (the caller retries it).</li>
 *   <li>Check the values: every locked cell, read at QUORUM in one round per column, must still
 *       hold what the transaction read, or the commit fails with a
 *       {@link PermanentLockingException} ("Expected value mismatch") and is resolved again.</li>
 *   <li>After the commit (or its failure), the claims are deleted in one round; a claim left by a
 *       writer that died expires after {@code storage.lock.expiry-time} (and Cassandra drops it
 *       by its TTL).</li>
 * </ol>
 *
 * So a commit pays about four round trips plus the wait, however many souls it locks, where
 * JanusGraph's locker pays four round trips per soul.
 */
final class LockClaims {

  private static final Logger LOG = LoggerFactory.getLogger(LockClaims.class);
  private static final int NONCE_BYTES = 16;
  private static final SliceQuery ALL_CLAIMS =
      new SliceQuery(BufferUtil.zeroBuffer(1), BufferUtil.oneBuffer(Long.BYTES + NONCE_BYTES + 1));

  /** A claim column written on one cell's claim row. */
  record Claim(StaticBuffer row, StaticBuffer column, Instant stamp) {}

  private final ClaimingCqlStoreManager manager;
  private final Duration wait;
  private final Duration expiry;
  private final int writeAttempts;

  LockClaims(ClaimingCqlStoreManager manager, Duration wait, Duration expiry, int writeAttempts) {
    this.manager = manager;
    this.wait = wait;
    this.expiry = expiry;
    this.writeAttempts = Math.max(1, writeAttempts);
  }

  /** Claims every cell, or throws having taken its claims back. */
  List<Claim> claim(Collection<ClaimingTransaction.Cell> cells) throws BackendException {
    TimestampProvider times = manager.times();
    for (int attempt = 1; attempt <= writeAttempts; attempt++) {
      Instant stamp = times.getTime();
      StaticBuffer column = claimColumn(times.getTime(stamp));
      List<Claim> claims = new ArrayList<>(cells.size());
      for (ClaimingTransaction.Cell cell : cells) {
        claims.add(new Claim(claimRow(cell), column, stamp));
      }
      try {
        manager.mutateUnlocked(writes(claims), manager.claimTransaction(stamp));
        // from the stamp, not from the write's start: a pause in between delays the claim as much
        Duration took = Duration.between(stamp, times.getTime());
        if (took.compareTo(wait) > 0) {
          LOG.debug("Writing {} lock claims took {}, longer than the lock wait {}: claiming again",
              claims.size(), took, wait);
          release(claims);
          continue;
        }
        times.sleepPast(stamp.plus(wait));
        checkSeniority(claims, stamp);
        return claims;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        release(claims);
        throw new TemporaryBackendException("Interrupted while waiting for lock claims", e);
      } catch (BackendException | RuntimeException e) {
        release(claims);
        throw e;
      }
    }
    throw new TemporaryLockingException("Writing lock claims took longer than the lock wait ("
        + wait.toMillis() + " ms) " + writeAttempts + " times");
  }

  private void checkSeniority(List<Claim> claims, Instant stamp) throws BackendException {
    TimestampProvider times = manager.times();
    StoreTransaction reads = manager.claimTransaction(times.getTime());
    Instant cutoff = times.getTime().minus(expiry);
    Map<StaticBuffer, EntryList> found = manager.claimsTable()
        .getSlice(claims.stream().map(Claim::row).toList(), ALL_CLAIMS, reads);
    for (Claim claim : claims) {
      StaticBuffer earliest = null;
      for (Entry entry : found.getOrDefault(claim.row(), EntryList.EMPTY_LIST)) {
        StaticBuffer column = entry.getColumnAs(StaticBuffer.STATIC_FACTORY);
        if (times.getTime(column.getLong(0)).isBefore(cutoff)) {
          if (column.equals(claim.column())) {
            throw new ExpiredLockException(
                "A lock claim expired before its commit (stamped " + stamp + ")");
          }
          continue; // a writer that died mid-commit
        }
        earliest = column;
        break; // columns come in byte order, i.e. by timestamp
      }
      if (earliest == null) {
        throw new TemporaryLockingException("A lock claim was not found after it was written");
      }
      if (!earliest.equals(claim.column())) {
        throw new TemporaryLockingException("A locked cell is held by another writer");
      }
    }
  }

  /** Checks that every locked cell still holds the value the transaction read in it. */
  void checkExpectedValues(Map<ClaimingTransaction.Cell, StaticBuffer> expected,
      StoreTransaction consistent) throws BackendException {
    Map<ClaimingStore, Map<StaticBuffer, List<ClaimingTransaction.Cell>>> groups =
        new LinkedHashMap<>();
    expected.keySet().forEach(cell -> groups.computeIfAbsent(cell.store(),
        s -> new LinkedHashMap<>()).computeIfAbsent(cell.column(), c -> new ArrayList<>())
        .add(cell));
    for (var byStore : groups.entrySet()) {
      for (var byColumn : byStore.getValue().entrySet()) {
        StaticBuffer column = byColumn.getKey();
        List<StaticBuffer> keys = byColumn.getValue().stream()
            .map(ClaimingTransaction.Cell::key).distinct().toList();
        Map<StaticBuffer, EntryList> found = byStore.getKey().table().getSlice(keys,
            new SliceQuery(column, BufferUtil.nextBiggerBuffer(column)), consistent);
        for (ClaimingTransaction.Cell cell : byColumn.getValue()) {
          StaticBuffer actual = null;
          for (Entry entry : found.getOrDefault(cell.key(), EntryList.EMPTY_LIST)) {
            if (entry.getColumnAs(StaticBuffer.STATIC_FACTORY).equals(column)) {
              actual = entry.getValueAs(StaticBuffer.STATIC_FACTORY);
            }
          }
          StaticBuffer want = expected.get(cell);
          if (want == null ? actual != null : !want.equals(actual)) {
            throw new PermanentLockingException("Expected value mismatch on table "
                + byStore.getKey().getName() + ": another writer changed a locked cell");
          }
        }
      }
    }
  }

  /**
   * Deletes the claims, after their stamp (a deletion at the claim's own time would lose to it).
   * A claim that cannot be deleted now expires, so a failure is only logged.
   */
  void release(List<Claim> claims) {
    if (claims.isEmpty()) {
      return;
    }
    TimestampProvider times = manager.times();
    Instant after = claims.get(0).stamp().plus(2, times.getUnit());
    Instant now = times.getTime();
    Map<StaticBuffer, KCVMutation> deletions = new LinkedHashMap<>();
    for (Claim claim : claims) {
      deletions.put(claim.row(), new KCVMutation(List.of(), List.of(claim.column())));
    }
    try {
      manager.mutateUnlocked(Map.of(ClaimingCqlStoreManager.CLAIMS_TABLE, deletions),
          manager.claimTransaction(now.isAfter(after) ? now : after));
    } catch (BackendException | RuntimeException e) {
      LOG.warn("Could not delete {} lock claims; they expire in {}", claims.size(), expiry, e);
    }
  }

  private Map<String, Map<StaticBuffer, KCVMutation>> writes(List<Claim> claims) {
    Integer ttl = manager.getFeatures().hasCellTTL()
        ? (int) Math.max(1, expiry.toSeconds() + 1) : null;
    Map<StaticBuffer, KCVMutation> writes = new LinkedHashMap<>();
    for (Claim claim : claims) {
      StaticArrayEntry entry =
          (StaticArrayEntry) StaticArrayEntry.of(claim.column(), BufferUtil.emptyBuffer());
      if (ttl != null) {
        entry.setMetaData(EntryMetaData.TTL, ttl);
      }
      writes.put(claim.row(), new KCVMutation(List.of(entry), List.of()));
    }
    return Map.of(ClaimingCqlStoreManager.CLAIMS_TABLE, writes);
  }

  /**
   * The claim row of a cell: its table's name, its key and its column, each but the last after
   * its length (unambiguous).
   */
  private static StaticBuffer claimRow(ClaimingTransaction.Cell cell) {
    byte[] table = cell.store().getName().getBytes(StandardCharsets.UTF_8);
    byte[] key = cell.key().as(StaticBuffer.ARRAY_FACTORY);
    byte[] column = cell.column().as(StaticBuffer.ARRAY_FACTORY);
    return StaticArrayBuffer.of(ByteBuffer.allocate(
            2 * Integer.BYTES + table.length + key.length + column.length)
        .putInt(table.length).put(table).putInt(key.length).put(key).put(column).array());
  }

  /** A claim column: its timestamp first (so columns sort by it), then a random nonce. */
  private static StaticBuffer claimColumn(long stamp) {
    byte[] nonce = new byte[NONCE_BYTES];
    ThreadLocalRandom.current().nextBytes(nonce);
    return StaticArrayBuffer.of(
        ByteBuffer.allocate(Long.BYTES + NONCE_BYTES).putLong(stamp).put(nonce).array());
  }
}
