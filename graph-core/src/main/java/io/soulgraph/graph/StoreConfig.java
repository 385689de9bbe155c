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
 * @param hotIndexMaxBytes the estimated heap bytes of field states kept in the in-memory index
 *     (bounded LRU, weighed by the size of each node's fields)
 * @param maxBatchPuts the most puts one group commit takes
 * @param maxBatchDelay how long a commit may wait to gather more puts
 * @param drift how far ahead of the machine clock a state may be before it is deferred
 * @param deferredCapacity the most deferred fields held at once
 * @param maxSoulLength the longest soul accepted, in UTF-16 code units
 * @param bounds the byte and field bounds on what writers can make the store hold
 */
public record StoreConfig(
    Backend backend,
    Path dataDir,
    Cql cql,
    long hotIndexMaxBytes,
    int maxBatchPuts,
    Duration maxBatchDelay,
    double drift,
    int deferredCapacity,
    int maxSoulLength,
    Bounds bounds) {

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
    Objects.requireNonNull(bounds, "bounds");
    requirePositive("hotIndexMaxBytes", hotIndexMaxBytes);
    requirePositive("maxBatchPuts", maxBatchPuts);
    requirePositive("deferredCapacity", deferredCapacity);
    requirePositive("maxSoulLength", maxSoulLength);
  }

  /** As the canonical constructor, with {@link Bounds#defaults()}. */
  public StoreConfig(Backend backend, Path dataDir, Cql cql, long hotIndexMaxBytes,
      int maxBatchPuts, Duration maxBatchDelay, double drift, int deferredCapacity,
      int maxSoulLength) {
    this(backend, dataDir, cql, hotIndexMaxBytes, maxBatchPuts, maxBatchDelay, drift,
        deferredCapacity, maxSoulLength, Bounds.defaults());
  }

  /**
   * What writers can make the store hold, in bytes (estimated heap bytes of the fields) and
   * fields. A put that would go past one is refused whole ({@link PutRefusedException}); nothing
   * of it is applied.
   *
   * @param maxNodeFields the most fields one node may hold (a put that would grow a stored node
   *     past it is refused)
   * @param maxBatchFields the most fields one group commit writes (a single larger put is
   *     committed alone): it bounds the size of one backend transaction
   * @param maxQueuedBytes the most bytes of puts waiting for the writer; beyond it puts fail fast
   * @param deferredBytes the most bytes of deferred (future-state) fields held in all
   * @param deferredBytesPerOrigin the most bytes of deferred fields held for one origin (one
   *     connection)
   */
  public record Bounds(int maxNodeFields, int maxBatchFields, long maxQueuedBytes,
      long deferredBytes, long deferredBytesPerOrigin) {

    public Bounds {
      requirePositive("maxNodeFields", maxNodeFields);
      requirePositive("maxBatchFields", maxBatchFields);
      requirePositive("maxQueuedBytes", maxQueuedBytes);
      requirePositive("deferredBytes", deferredBytes);
      requirePositive("deferredBytesPerOrigin", deferredBytesPerOrigin);
    }

    /** Sized for the relay's default 512 MiB heap (docs/relay.md, limits). */
    public static Bounds defaults() {
      return new Bounds(100_000, 4096, 64L << 20, 32L << 20, 4L << 20);
    }
  }

  private static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("Expected " + name + " >= 1 but received " + value);
    }
  }

  /**
   * The default bound of the hot index, 128 MiB of estimated heap: it fits the relay's default
   * 512 MiB heap beside BerkeleyDB JE's cache and the connections.
   */
  public static final long DEFAULT_HOT_INDEX_BYTES = 128L << 20;

  /** An ephemeral in-memory store with default limits (tests, ephemeral relays). */
  public static StoreConfig inMemory() {
    return new StoreConfig(Backend.INMEMORY, null, null, DEFAULT_HOT_INDEX_BYTES, 1024,
        Duration.ofMillis(2), 0, 100_000, 4096);
  }

  /** The durable embedded default: BerkeleyDB JE in {@code dataDir}, default limits. */
  public static StoreConfig berkeleyJe(Path dataDir) {
    return new StoreConfig(Backend.BERKELEYJE, dataDir, null, DEFAULT_HOT_INDEX_BYTES, 1024,
        Duration.ofMillis(2), 0, 100_000, 4096);
  }

  /** This configuration with another bound on the hot index, in bytes. */
  public StoreConfig withHotIndexMaxBytes(long bytes) {
    return new StoreConfig(backend, dataDir, cql, bytes, maxBatchPuts, maxBatchDelay, drift,
        deferredCapacity, maxSoulLength, bounds);
  }

  /** This configuration with other bounds. */
  public StoreConfig withBounds(Bounds otherBounds) {
    return new StoreConfig(backend, dataDir, cql, hotIndexMaxBytes, maxBatchPuts, maxBatchDelay,
        drift, deferredCapacity, maxSoulLength, otherBounds);
  }
}
