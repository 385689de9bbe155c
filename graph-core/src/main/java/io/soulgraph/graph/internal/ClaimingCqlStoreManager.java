package io.soulgraph.graph.internal;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.janusgraph.diskstorage.BackendException;
import org.janusgraph.diskstorage.BaseTransactionConfig;
import org.janusgraph.diskstorage.PermanentBackendException;
import org.janusgraph.diskstorage.StaticBuffer;
import org.janusgraph.diskstorage.StoreMetaData;
import org.janusgraph.diskstorage.configuration.Configuration;
import org.janusgraph.diskstorage.configuration.MergedConfiguration;
import org.janusgraph.diskstorage.cql.CQLStoreManager;
import org.janusgraph.diskstorage.keycolumnvalue.KCVMutation;
import org.janusgraph.diskstorage.keycolumnvalue.KeyColumnValueStore;
import org.janusgraph.diskstorage.keycolumnvalue.StandardStoreFeatures;
import org.janusgraph.diskstorage.keycolumnvalue.StoreFeatures;
import org.janusgraph.diskstorage.keycolumnvalue.StoreTransaction;
import org.janusgraph.diskstorage.util.StandardBaseTransactionConfig;
import org.janusgraph.diskstorage.util.time.TimestampProvider;
import org.janusgraph.graphdb.configuration.GraphDatabaseConfiguration;

/**
 * JanusGraph's CQL store with the locks of a commit taken together instead of one cell at a time.
 *
 * <p>JanusGraph's own locker ({@code ConsistentKeyLocker}) writes a claim, reads the claims back,
 * reads the locked cell and deletes the claim one cell after another: four sequential QUORUM round
 * trips per soul a commit touches. This manager reports that the store locks by itself, so
 * JanusGraph hands each lock to {@link ClaimingStore#acquireLock}, and {@link LockClaims} settles
 * all of a commit's locks at once, with the same rule (the earliest unexpired claim wins, after
 * {@code storage.lock.wait-time}) and the same expected-value check before the commit writes.
 * JanusGraph loads it by class name ({@code storage.backend}); every other call goes to {@link
 * CQLStoreManager} unchanged.
 */
public final class ClaimingCqlStoreManager extends CQLStoreManager {

  /** The stores JanusGraph takes locks on (the graph, its indexes, the global configuration). */
  private static final Set<String> LOCKED_STORES = Set.of(
      org.janusgraph.diskstorage.Backend.EDGESTORE_NAME,
      org.janusgraph.diskstorage.Backend.INDEXSTORE_NAME,
      GraphDatabaseConfiguration.SYSTEM_PROPERTIES_STORE_NAME);
  /**
   * The one table that holds the lock claims on every locked table's cells (a claim's row names
   * the table, the key and the column it locks): one table to make in a new keyspace, and one
   * multi-key read for all of a commit's claims.
   */
  static final String CLAIMS_TABLE = "soulgraph_lock_claims";

  private final StoreFeatures features;
  private final LockClaims claims;
  private final Map<String, ClaimingStore> stores = new ConcurrentHashMap<>();
  private volatile KeyColumnValueStore claimsTable;

  public ClaimingCqlStoreManager(Configuration configuration) throws BackendException {
    super(configuration);
    this.features = new StandardStoreFeatures.Builder(super.getFeatures()).locking(true).build();
    this.claims = new LockClaims(this, configuration.get(GraphDatabaseConfiguration.LOCK_WAIT),
        configuration.get(GraphDatabaseConfiguration.LOCK_EXPIRE),
        configuration.get(GraphDatabaseConfiguration.LOCK_RETRY));
  }

  @Override
  public StoreFeatures getFeatures() {
    return features == null ? super.getFeatures() : features; // null while super() runs
  }

  @Override
  public KeyColumnValueStore openDatabase(String name, StoreMetaData.Container metaData)
      throws BackendException {
    ClaimingStore open = stores.get(name);
    if (open != null) {
      return open;
    }
    boolean locked = LOCKED_STORES.contains(name);
    if (locked) {
      openClaimsTable(metaData);
    }
    return stores.computeIfAbsent(name, n -> {
      try {
        return new ClaimingStore(ClaimingCqlStoreManager.super.openDatabase(n, metaData), locked,
            this);
      } catch (BackendException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The claims table, made (if need be) when the first locked table is opened. */
  private synchronized void openClaimsTable(StoreMetaData.Container metaData)
      throws BackendException {
    if (claimsTable == null) {
      claimsTable = super.openDatabase(CLAIMS_TABLE, metaData);
    }
  }

  KeyColumnValueStore claimsTable() {
    return claimsTable;
  }

  /**
   * A transaction whose reads and unlocked writes use the configured consistency, and whose
   * locked commits (claims, checks and the commit's own writes) use the store's key-consistent
   * level (QUORUM), as JanusGraph's own locking does.
   */
  @Override
  public StoreTransaction beginTransaction(BaseTransactionConfig config) throws BackendException {
    return new ClaimingTransaction(super.beginTransaction(config),
        super.beginTransaction(consistent(config)), claims);
  }

  private BaseTransactionConfig consistent(BaseTransactionConfig config) {
    return new StandardBaseTransactionConfig.Builder(config)
        .customOptions(new MergedConfiguration(features.getKeyConsistentTxConfig(),
            config.getCustomOptions()))
        .build();
  }

  /**
   * A key-consistent transaction of its own for one claim write or delete, committing at {@code
   * time}: a claim and its deletion need distinct timestamps (at one commit time Cassandra would
   * keep the claim, whose write JanusGraph stamps one tick after a deletion).
   */
  StoreTransaction claimTransaction(java.time.Instant time) throws BackendException {
    StoreTransaction tx = super.beginTransaction(StandardBaseTransactionConfig.of(times,
        features.getKeyConsistentTxConfig()));
    tx.getConfiguration().setCommitTime(time);
    return tx;
  }

  /** A closed store: JanusGraph may open the table again. */
  void forget(String name) {
    stores.remove(name);
  }

  TimestampProvider times() {
    return times;
  }

  /** Settles the transaction's locks (once) before its first write, then writes. */
  @Override
  public void mutateMany(Map<String, Map<StaticBuffer, KCVMutation>> mutations,
      StoreTransaction txh) throws BackendException {
    try {
      super.mutateMany(mutations,
          txh instanceof ClaimingTransaction claiming ? claiming.prepareForMutations() : txh);
    } catch (BackendException e) {
      throw unavailableIsFinal(e);
    }
  }

  /**
   * Cassandra's own answer that it cannot serve a request now, as a permanent failure: the
   * coordinator found fewer replicas alive than the consistency level needs (Unavailable, sent
   * before anything is written), or the driver has no node up. JanusGraph retries a temporary
   * failure until {@code storage.write-time} and the store's writer until the commit timeout,
   * holding every put of the commit all that time for an answer that will be the same; failing at
   * once tells the client now, and the writer's probe finds out when the cluster is back.
   */
  static BackendException unavailableIsFinal(BackendException e) {
    for (Throwable cause = e; cause != null && cause.getCause() != cause;
        cause = cause.getCause()) {
      Throwable reason = cannotServe(cause);
      if (reason != null) {
        // Cassandra's reason as the cause, not e: JanusGraph retries whenever the innermost
        // backend exception of a chain is temporary
        return new PermanentBackendException("Cassandra cannot serve this now", reason);
      }
    }
    return e;
  }

  /**
   * Cassandra's reason when the driver failed for want of replicas or nodes: no node up, or every
   * node it tried answered Unavailable (the driver tries the next node once, then gives up with
   * each node's error); null otherwise.
   */
  private static Throwable cannotServe(Throwable failure) {
    if (failure instanceof UnavailableException || failure instanceof NoNodeAvailableException) {
      return failure;
    }
    if (failure instanceof AllNodesFailedException all) {
      List<Throwable> errors = all.getAllErrors().values().stream().flatMap(List::stream)
          .toList();
      if (!errors.isEmpty() && errors.stream().allMatch(UnavailableException.class::isInstance)) {
        return errors.get(0);
      }
    }
    return null;
  }

  /** Writes without locks: the claims themselves. */
  void mutateUnlocked(Map<String, Map<StaticBuffer, KCVMutation>> mutations, StoreTransaction tx)
      throws BackendException {
    super.mutateMany(mutations, tx);
  }
}
