package io.soulgraph.graph.internal;

import java.util.List;
import java.util.Map;
import org.janusgraph.diskstorage.BackendException;
import org.janusgraph.diskstorage.Entry;
import org.janusgraph.diskstorage.EntryList;
import org.janusgraph.diskstorage.StaticBuffer;
import org.janusgraph.diskstorage.keycolumnvalue.KCVMutation;
import org.janusgraph.diskstorage.keycolumnvalue.KeyColumnValueStore;
import org.janusgraph.diskstorage.keycolumnvalue.KeyIterator;
import org.janusgraph.diskstorage.keycolumnvalue.KeyRangeQuery;
import org.janusgraph.diskstorage.keycolumnvalue.KeySliceQuery;
import org.janusgraph.diskstorage.keycolumnvalue.KeySlicesIterator;
import org.janusgraph.diskstorage.keycolumnvalue.MultiKeysQueryGroups;
import org.janusgraph.diskstorage.keycolumnvalue.MultiSlicesQuery;
import org.janusgraph.diskstorage.keycolumnvalue.SliceQuery;
import org.janusgraph.diskstorage.keycolumnvalue.StoreTransaction;

/**
 * A CQL table as JanusGraph sees it through {@link ClaimingCqlStoreManager}: reads go to the
 * table with the transaction's own consistency, a lock is only noted in the transaction (it is
 * settled with the commit's other locks before the first write), and writes go through the
 * manager, which settles them. A read Cassandra cannot serve for want of replicas fails at once
 * ({@link ClaimingCqlStoreManager#unavailableIsFinal}).
 */
final class ClaimingStore implements KeyColumnValueStore {

  private final KeyColumnValueStore table;
  /** Whether JanusGraph locks cells of this table (the graph, its indexes, its configuration). */
  private final boolean locked;
  private final ClaimingCqlStoreManager manager;

  ClaimingStore(KeyColumnValueStore table, boolean locked, ClaimingCqlStoreManager manager) {
    this.table = table;
    this.locked = locked;
    this.manager = manager;
  }

  KeyColumnValueStore table() {
    return table;
  }

  @Override
  public EntryList getSlice(KeySliceQuery query, StoreTransaction txh) throws BackendException {
    return read(() -> table.getSlice(query, ClaimingTransaction.reads(txh)));
  }

  @Override
  public Map<StaticBuffer, EntryList> getSlice(List<StaticBuffer> keys, SliceQuery query,
      StoreTransaction txh) throws BackendException {
    return read(() -> table.getSlice(keys, query, ClaimingTransaction.reads(txh)));
  }

  @Override
  public Map<SliceQuery, Map<StaticBuffer, EntryList>> getMultiSlices(
      MultiKeysQueryGroups<StaticBuffer, SliceQuery> queries, StoreTransaction txh)
      throws BackendException {
    return read(() -> table.getMultiSlices(queries, ClaimingTransaction.reads(txh)));
  }

  /** Runs a read of the table; one Cassandra cannot serve for want of replicas fails at once. */
  private static <T> T read(TableRead<T> read) throws BackendException {
    try {
      return read.run();
    } catch (BackendException e) {
      throw ClaimingCqlStoreManager.unavailableIsFinal(e);
    }
  }

  private interface TableRead<T> {
    T run() throws BackendException;
  }

  @Override
  public void mutate(StaticBuffer key, List<Entry> additions, List<StaticBuffer> deletions,
      StoreTransaction txh) throws BackendException {
    manager.mutateMany(Map.of(getName(), Map.of(key, new KCVMutation(additions, deletions))), txh);
  }

  @Override
  public void acquireLock(StaticBuffer key, StaticBuffer column, StaticBuffer expectedValue,
      StoreTransaction txh) throws BackendException {
    if (!locked) {
      throw new UnsupportedOperationException("JanusGraph does not lock table " + getName());
    }
    ((ClaimingTransaction) txh).expect(this, key, column, expectedValue);
  }

  @Override
  public KeyIterator getKeys(KeyRangeQuery query, StoreTransaction txh) throws BackendException {
    return table.getKeys(query, ClaimingTransaction.reads(txh));
  }

  @Override
  public KeyIterator getKeys(SliceQuery query, StoreTransaction txh) throws BackendException {
    return table.getKeys(query, ClaimingTransaction.reads(txh));
  }

  @Override
  public KeySlicesIterator getKeys(MultiSlicesQuery queries, StoreTransaction txh)
      throws BackendException {
    return table.getKeys(queries, ClaimingTransaction.reads(txh));
  }

  @Override
  public String getName() {
    return table.getName();
  }

  @Override
  public void close() throws BackendException {
    manager.forget(getName());
    table.close(); // the claims table is the manager's, closed with it
  }
}
