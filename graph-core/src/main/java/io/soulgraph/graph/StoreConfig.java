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

  /**
   * Where a Cassandra/ScyllaDB cluster is and how to use it (docs/scale-out.md).
   *
   * @param hosts contact points (host or host:port)
   * @param port the CQL port of hosts given without one
   * @param keyspace the keyspace, created with {@code replicationFactor} if missing
   * @param localDatacenter the datacenter whose nodes the driver talks to
   * @param replicationFactor replicas per row when the keyspace is created (SimpleStrategy)
   * @param readConsistency consistency level of reads (e.g. QUORUM, LOCAL_QUORUM, ONE)
   * @param writeConsistency consistency level of writes
   * @param requestTimeout how long one CQL request may take before it fails
   * @param commitTimeout how long a put may wait for its commit: past it the writer gets a
   *     {@link StoreException} (Gun {@code err}) instead of waiting on an unavailable cluster,
   *     and JanusGraph stops retrying the commit's reads and writes
   * @param lockWait JanusGraph's {@code storage.lock.wait-time}: how long a lock claim waits for
   *     earlier claims of other relays to become readable before it reads them back. It must
   *     exceed the clock skew between relays plus the time a claim write may take (JanusGraph
   *     rejects and rewrites a claim whose write took longer); every commit pays it once
   *     (docs/data-model.md, "CQL: what differs")
   */
  public record Cql(List<String> hosts, int port, String keyspace, String localDatacenter,
      int replicationFactor, String readConsistency, String writeConsistency,
      Duration requestTimeout, Duration commitTimeout, Duration lockWait) {

    public static final int DEFAULT_PORT = 9042;
    public static final String DEFAULT_KEYSPACE = "soulgraph";
    public static final String DEFAULT_DATACENTER = "datacenter1";
    /** Reads and writes at QUORUM overlap, so a read sees every acknowledged write. */
    public static final String DEFAULT_CONSISTENCY = "QUORUM";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(12);
    /**
     * A put's answer within 20 s: a commit that can reach a quorum takes well under a second, one
     * that cannot fails fast (unavailable) or waits for request timeouts.
     */
    public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofSeconds(20);
    /**
     * JanusGraph's own default: safe for relays on machines whose clocks NTP keeps within a few
     * milliseconds and for claim writes of tens of milliseconds.
     */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMillis(100);

    public Cql {
      hosts = List.copyOf(hosts);
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("Expected at least one CQL host but received none");
      }
      Objects.requireNonNull(keyspace, "keyspace");
      if (!keyspace.matches("[A-Za-z][A-Za-z0-9_]{0,47}")) {
        throw new IllegalArgumentException("Expected a keyspace name of letters, digits and _ "
            + "(at most 48, starting with a letter) but received '" + keyspace + "'");
      }
      Objects.requireNonNull(localDatacenter, "localDatacenter");
      requirePositive("replicationFactor", replicationFactor);
      readConsistency = consistency("readConsistency", readConsistency);
      writeConsistency = consistency("writeConsistency", writeConsistency);
      requirePositive("requestTimeout", requestTimeout);
      requirePositive("commitTimeout", commitTimeout);
      requirePositive("lockWait", lockWait);
    }

    /** As the canonical constructor, with {@link #DEFAULT_LOCK_WAIT}. */
    public Cql(List<String> hosts, int port, String keyspace, String localDatacenter,
        int replicationFactor, String readConsistency, String writeConsistency,
        Duration requestTimeout, Duration commitTimeout) {
      this(hosts, port, keyspace, localDatacenter, replicationFactor, readConsistency,
          writeConsistency, requestTimeout, commitTimeout, DEFAULT_LOCK_WAIT);
    }

    /** As the canonical constructor, with {@link #DEFAULT_COMMIT_TIMEOUT}. */
    public Cql(List<String> hosts, int port, String keyspace, String localDatacenter,
        int replicationFactor, String readConsistency, String writeConsistency,
        Duration requestTimeout) {
      this(hosts, port, keyspace, localDatacenter, replicationFactor, readConsistency,
          writeConsistency, requestTimeout, DEFAULT_COMMIT_TIMEOUT);
    }

    /** {@code keyspace} on the cluster at {@code hosts} and {@code port}, other settings default. */
    public Cql(List<String> hosts, int port, String keyspace) {
      this(hosts, port, keyspace, DEFAULT_DATACENTER, 1, DEFAULT_CONSISTENCY, DEFAULT_CONSISTENCY,
          DEFAULT_REQUEST_TIMEOUT);
    }

    /** The cluster at {@code hosts} with every other setting at its default. */
    public static Cql of(List<String> hosts) {
      return new Cql(hosts, DEFAULT_PORT, DEFAULT_KEYSPACE, DEFAULT_DATACENTER, 1,
          DEFAULT_CONSISTENCY, DEFAULT_CONSISTENCY, DEFAULT_REQUEST_TIMEOUT);
    }

    /** These settings with another keyspace. */
    public Cql withKeyspace(String name) {
      return new Cql(hosts, port, name, localDatacenter, replicationFactor, readConsistency,
          writeConsistency, requestTimeout, commitTimeout, lockWait);
    }

    /** These settings with another commit timeout. */
    public Cql withCommitTimeout(Duration timeout) {
      return new Cql(hosts, port, keyspace, localDatacenter, replicationFactor, readConsistency,
          writeConsistency, requestTimeout, timeout, lockWait);
    }

    /** These settings with another lock wait. */
    public Cql withLockWait(Duration wait) {
      return new Cql(hosts, port, keyspace, localDatacenter, replicationFactor, readConsistency,
          writeConsistency, requestTimeout, commitTimeout, wait);
    }

    private static final List<String> LEVELS = List.of("ANY", "ONE", "TWO", "THREE", "QUORUM",
        "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE");

    private static String consistency(String name, String level) {
      String upper = Objects.requireNonNull(level, name).toUpperCase(java.util.Locale.ROOT);
      if (!LEVELS.contains(upper)) {
        throw new IllegalArgumentException(
            "Expected " + name + " to be one of " + LEVELS + " but received '" + level + "'");
      }
      return upper;
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

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("Expected a positive " + name + " but received " + value);
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

  /**
   * The most puts one group commit takes on a shared cluster. A commit reads the souls it changes
   * (16 at a time) and settles their locks in a few rounds whatever their number
   * (docs/data-model.md), so a larger batch costs a commit little more time; but every round
   * trip is a QUORUM one, and a batch of 1,024 souls is 128 read rounds and claim writes of a
   * thousand cells. At 64, a commit is about a dozen round trips plus the lock wait, far inside the
   * 20 s default commit timeout even at 50 ms per round trip (a loaded machine, RF 2). (Before
   * the locks were settled per commit, each soul cost six sequential round trips, 64 souls
   * outlasted the timeout, and the cap was 16: docs/benchmarks.md.)
   */
  public static final int SHARED_MAX_BATCH_PUTS = 64;

  /**
   * A store on a Cassandra/ScyllaDB cluster, default limits; {@code dataDir} holds only this
   * relay's replica id, so every relay on one cluster needs its own.
   */
  public static StoreConfig cql(Path dataDir, Cql cql) {
    return new StoreConfig(Backend.CQL, dataDir, cql, DEFAULT_HOT_INDEX_BYTES,
        SHARED_MAX_BATCH_PUTS, Duration.ofMillis(2), 0, 100_000, 4096);
  }

  /**
   * Whether other processes may write the same graph at the same time (a CQL cluster shared by
   * relays), so that every commit must re-read and lock what it changes.
   */
  public boolean shared() {
    return backend == Backend.CQL;
  }

  /**
   * The commit bound of the local backends: they cannot wait on a network, so only a stuck
   * machine reaches it; it still gives every writer an answer.
   */
  public static final Duration LOCAL_COMMIT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long a put may wait for its commit before its writer gets a {@link StoreException}: the
   * cql setting, {@link #LOCAL_COMMIT_TIMEOUT} for the local backends.
   */
  public Duration commitTimeout() {
    return backend == Backend.CQL ? cql.commitTimeout() : LOCAL_COMMIT_TIMEOUT;
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
