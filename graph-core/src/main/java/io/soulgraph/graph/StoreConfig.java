package io.soulgraph.graph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to open a {@link SoulStore}.
 *
 * @param backend where nodes live
 * @param dataDir the directory for berkeleyje data and the replica id (ignored by inmemory)
 * @param cql hosts and keyspace when {@code backend} is CQL, otherwise ignored
 * @param hotIndexMaxFields the most field states kept in the in-memory index (bounded LRU)
 * @param maxBatchPuts the most puts one group commit takes
 * @param maxBatchDelay how long a commit may wait to gather more puts
 * @param drift how far ahead of the machine clock a state may be before it is deferred
 * @param deferredCapacity the most deferred fields held at once
 * @param maxSoulLength the longest soul accepted, in UTF-16 code units
 */
public record StoreConfig(
    Backend backend,
    Path dataDir,
    Cql cql,
    int hotIndexMaxFields,
    int maxBatchPuts,
    Duration maxBatchDelay,
    double drift,
    int deferredCapacity,
    int maxSoulLength) {

  /** The storage backends, chosen by configuration; the code is the same for all. */
  public enum Backend { INMEMORY, BERKELEYJE, CQL }

  /** Where a Cassandra/ScyllaDB cluster is. */
  public record Cql(List<String> hosts, int port, String keyspace) {
    public Cql {
      hosts = List.copyOf(hosts);
    }
  }

  public StoreConfig {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    if (backend != Backend.INMEMORY) {
      Objects.requireNonNull(dataDir, "dataDir is required for " + backend);
    }
    if (backend == Backend.CQL) {
      Objects.requireNonNull(cql, "cql settings are required for the CQL backend");
    }
    requirePositive("hotIndexMaxFields", hotIndexMaxFields);
    requirePositive("maxBatchPuts", maxBatchPuts);
    requirePositive("deferredCapacity", deferredCapacity);
    requirePositive("maxSoulLength", maxSoulLength);
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("Expected " + name + " >= 1 but received " + value);
    }
  }

  /**
   * The default bound of the hot index. A field costs about 650 bytes of heap there
   * (docs/benchmarks.md, graph-core memory), so this is about 130 MiB: it fits the relay's default
   * 512 MiB heap beside BerkeleyDB JE's cache and the connections.
   */
  public static final int DEFAULT_HOT_INDEX_FIELDS = 200_000;

  /** An ephemeral in-memory store with default limits (tests, ephemeral relays). */
  public static StoreConfig inMemory() {
    return new StoreConfig(Backend.INMEMORY, null, null, DEFAULT_HOT_INDEX_FIELDS, 1024,
        Duration.ofMillis(2), 0, 100_000, 4096);
  }

  /** The durable embedded default: BerkeleyDB JE in {@code dataDir}, default limits. */
  public static StoreConfig berkeleyJe(Path dataDir) {
    return new StoreConfig(Backend.BERKELEYJE, dataDir, null, DEFAULT_HOT_INDEX_FIELDS, 1024,
        Duration.ofMillis(2), 0, 100_000, 4096);
  }

  /** This configuration with another bound on the hot index. */
  public StoreConfig withHotIndexMaxFields(int fields) {
    return new StoreConfig(backend, dataDir, cql, fields, maxBatchPuts, maxBatchDelay, drift,
        deferredCapacity, maxSoulLength);
  }
}
