package io.soulgraph.graph.internal;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import io.soulgraph.graph.BackendStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.janusgraph.core.Cardinality;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphFactory;
import org.janusgraph.core.PropertyKey;
import org.janusgraph.core.schema.ConsistencyModifier;
import org.janusgraph.diskstorage.cql.CQLStoreManager;
import org.janusgraph.graphdb.database.StandardJanusGraph;
import org.janusgraph.core.schema.JanusGraphIndex;
import org.janusgraph.core.schema.JanusGraphManagement;

/** Opens JanusGraph for a {@link StoreConfig} and makes sure the fixed schema exists. */
final class JanusBackend {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JanusBackend.class);

  /** The vertex label of soul nodes. */
  static final String NODE_LABEL = "node";
  /** The uniquely indexed soul property. */
  static final String SOUL = "soul";
  /** A node's field entries (values, states, dots) as JSON: the authoritative HAM record. */
  static final String ENTRIES = "%ham";
  /** The vertex label of the one vertex holding the store's own metadata. */
  static final String META_LABEL = "%meta";
  /** The key property of the metadata vertex, and its value. */
  static final String META_KEY = "%metaKey";
  static final String META_KEY_VALUE = "store";

  /**
   * The metadata vertex key of one replica: relays sharing a cluster each keep their own dot
   * counter and context, so they never write one record.
   */
  static String metaKeyValue(boolean shared, String replicaId) {
    return shared ? META_KEY_VALUE + ":" + replicaId : META_KEY_VALUE;
  }
  /** The dot counter and causal context, as JSON. */
  static final String META_CONTEXT = "%context";

  /**
   * Percentage of the heap BerkeleyDB JE may use for its cache (JE's default would be 65). Small,
   * because the hot index in front of it holds the fields reads ask for, and JE fills whatever
   * budget it has: at 15 % a 100k-soul relay at rest held 53 MB more, and neither its puts of new
   * souls, its updates of all of them nor its cold gets were faster for it (docs/benchmarks.md).
   */
  static final int BERKELEY_CACHE_PERCENT = 5;

  private JanusBackend() {}

  static JanusGraph open(StoreConfig config) {
    JanusGraphFactory.Builder builder =
        JanusGraphFactory.build()
            .set("schema.default", ExplicitSchemaMaker.class.getName())
            .set("cache.db-cache", false)
            .set("graph.replace-instance-if-exists", true)
            .set("query.force-index", false);
    switch (config.backend()) {
      case INMEMORY -> localIds(builder).set("storage.backend", "inmemory");
      case BERKELEYJE -> localIds(builder)
          .set("storage.backend", "berkeleyje")
          .set("storage.directory", graphDir(config.dataDir()).toString())
          .set("storage.berkeleyje.cache-percentage", BERKELEY_CACHE_PERCENT)
          // readers (our own and Gremlin's) release read locks at once instead of blocking commits
          .set("storage.berkeleyje.isolation-level", "READ_COMMITTED")
          // JE's default, stated: an acknowledged commit is fsynced (survives kill -9, power loss)
          .set("storage.berkeleyje.ext.je.txn.durability", "SYNC,SYNC,SIMPLE_MAJORITY");
      case CQL -> cql(builder, config.cql());
      default -> throw new IllegalArgumentException("Unknown backend " + config.backend());
    }
    for (int attempt = 1; ; attempt++) {
      JanusGraph graph = openGraph(builder, config);
      try {
        if (graph instanceof StandardJanusGraph standard) {
          long heap = Runtime.getRuntime().maxMemory();
          SchemaCacheSize.enlarge(standard, SchemaCacheSize.forHeap(heap));
        }
        ensureSchemaOnce(graph, config.shared());
        return graph;
      } catch (RuntimeException | AssertionError e) {
        graph.close();
        if (!config.shared() || attempt == OPEN_ATTEMPTS) {
          throw new StoreException("Could not create the soul graph schema", e);
        }
        // Another relay is making the schema of a new keyspace: on Cassandra its writes land one
        // by one, and a relay that reads the index's vertex before its definition fails inside
        // JanusGraph (an AssertionError under -ea, else a RuntimeException) and may have cached
        // the half-made type. A graph opened again has an empty schema cache and, a moment
        // later, finds the schema whole.
        LOG.warn("Making the schema met another relay making it ({}); opening again, try {} of {}",
            e.toString(), attempt + 1, OPEN_ATTEMPTS);
        pause(2000L * attempt, e);
      }
    }
  }

  private static void pause(long millis, Throwable cause) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted while opening the backend", cause);
    }
  }

  /**
   * Settings for a backend only this process opens (JE locks its environment): no other instance
   * can race for an id block or a lock, so JanusGraph's waits for claims to settle (300 ms per id
   * block, 100 ms per lock, i.e. per new field name on inmemory) are mostly stall. They cannot go
   * to zero: JanusGraph fails a claim whose write took longer than the wait, which on a loaded
   * machine a 1 ms wait did (a group commit failed). The waits below leave room for that, and
   * the group committer retries a batch that still hits a temporary failure.
   */
  private static JanusGraphFactory.Builder localIds(JanusGraphFactory.Builder builder) {
    return builder.set("ids.authority.wait-time", "50 ms").set("ids.block-size", 100_000)
        .set("storage.lock.wait-time", "20 ms").set("storage.lock.retries", 5);
  }

  /**
   * A cluster other relays write too. Locks and id claims need real waits here (another process
   * may race for them), and a lock left by a killed relay expires after {@link #LOCK_EXPIRY},
   * longer than any commit may take. The driver retries a lost connection by itself; until it is
   * back, commits fail and their puts are not acknowledged, within the commit timeout.
   */
  private static JanusGraphFactory.Builder cql(JanusGraphFactory.Builder builder, StoreConfig.Cql cql) {
    long timeoutMillis = cql.requestTimeout().toMillis();
    return builder
        // JanusGraph's CQL store, with a commit's locks settled in one round (LockClaims)
        .set("storage.backend", ClaimingCqlStoreManager.class.getName())
        .set("storage.hostname", String.join(",", cql.hosts()))
        .set("storage.port", cql.port())
        .set("storage.cql.keyspace", cql.keyspace())
        .set("storage.cql.local-datacenter", cql.localDatacenter())
        .set("storage.cql.replication-factor", cql.replicationFactor())
        .set("storage.cql.read-consistency-level", cql.readConsistency())
        .set("storage.cql.write-consistency-level", cql.writeConsistency())
        .set("storage.cql.request-timeout", timeoutMillis)
        .set("storage.connection-timeout", timeoutMillis)
        // JanusGraph retries a failed read or write (e.g. unavailable: too few replicas up) until
        // these pass; its defaults (10 s, 100 s) let one commit outlast the put's commit timeout
        .set("storage.read-time", cql.commitTimeout().toMillis() / 2 + " ms")
        .set("storage.write-time", cql.commitTimeout().toMillis() / 2 + " ms")
        // after each CREATE: on more than one node the driver may "agree" on the schema before
        // the new table reached the node the next PREPARE goes to
        .set("storage.cql.init-wait-time", 2000)
        // the driver's reconnection backoff grows to 60 s by default: a relay would take up to a
        // minute to notice that a restarted cluster is back (HOCON without commas: JanusGraph
        // splits option values at commas)
        .set("storage.cql.internal.string-configuration", RECONNECTION)
        .set("ids.block-size", 100_000)
        .set("ids.renew-timeout", "120000 ms")
        .set("storage.lock.wait-time", cql.lockWait().toMillis() + " ms")
        .set("storage.lock.retries", 5)
        .set("storage.lock.expiry-time", LOCK_EXPIRY.toMillis() + " ms");
  }

  /** The nodes the CQL driver knows and their states; empty for the local backends. */
  static List<BackendStatus.ClusterNode> clusterNodes(JanusGraph graph) {
    if (!(graph instanceof StandardJanusGraph standard)
        || !(standard.getBackend().getStoreManager() instanceof CQLStoreManager cql)) {
      return List.of();
    }
    List<BackendStatus.ClusterNode> nodes = new ArrayList<>();
    for (com.datastax.oss.driver.api.core.metadata.Node node
        : cql.getSession().getMetadata().getNodes().values()) {
      nodes.add(new BackendStatus.ClusterNode(node.getEndPoint().toString(),
          node.getDatacenter(), node.getState().name()));
    }
    return nodes;
  }

  /** DataStax driver settings: reconnect to a node that was down every 1-4 s, not up to 60 s. */
  private static final String RECONNECTION = String.join("\n",
      "datastax-java-driver.advanced.reconnection-policy {",
      "  class = ExponentialReconnectionPolicy",
      "  base-delay = 1 second",
      "  max-delay = 4 seconds",
      "}");

  /** How long a lock claim of a relay that died mid-commit blocks its souls. */
  static final java.time.Duration LOCK_EXPIRY = java.time.Duration.ofSeconds(30);

  static Path graphDir(Path dataDir) {
    return dataDir.resolve("graph");
  }

  /** Tries of opening a new keyspace that the cluster or another relay is still making. */
  private static final int OPEN_ATTEMPTS = 4;

  /**
   * Opens the graph. On a cluster, a new keyspace's table may not yet have reached the node the
   * next request goes to, even after {@code init-wait-time} on a loaded machine ("table ... does
   * not exist"); and relays started together on a new keyspace race to write its global
   * configuration, so one may read it written but not yet frozen ("initialized but not frozen").
   * Both are over a moment later, so opening again succeeds.
   */
  private static JanusGraph openGraph(JanusGraphFactory.Builder builder, StoreConfig config) {
    for (int attempt = 1; ; attempt++) {
      try {
        return builder.open();
      } catch (RuntimeException e) {
        if (!config.shared() || attempt == OPEN_ATTEMPTS || !isKeyspaceBeingMade(e)) {
          throw new StoreException("Could not open the " + config.backend() + " backend", e);
        }
        LOG.warn("Opening the new keyspace met it still being made, by the cluster or by another "
            + "relay ({}); try {} of {}", e.getMessage(), attempt + 1, OPEN_ATTEMPTS);
        pause(2000L * attempt, e);
      }
    }
  }

  private static boolean isKeyspaceBeingMade(Throwable e) {
    for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.matches("(?s).*table \\S+ does not exist.*")
          || message.contains("has already been initialized but not frozen")) {
        return true;
      }
    }
    return false;
  }

  /** Another relay opening a new keyspace at the same time may make the schema first. */
  private static void ensureSchemaOnce(JanusGraph graph, boolean shared) {
    try {
      ensureSchema(graph, shared);
    } catch (RuntimeException first) {
      JanusGraphManagement mgmt = graph.openManagement();
      boolean made = mgmt.containsGraphIndex("byMetaKey");
      mgmt.rollback();
      if (!made) {
        throw first;
      }
    }
  }

  /**
   * Makes the fixed schema once. On a shared cluster the soul and metadata indexes and the entries
   * record are LOCKed: without it two relays may both create a vertex for a new soul (the unique
   * index is only checked, not locked) or overwrite each other's entries (docs/data-model.md).
   */
  private static void ensureSchema(JanusGraph graph, boolean shared) {
    JanusGraphManagement mgmt = graph.openManagement();
    if (mgmt.containsPropertyKey(SOUL)) {
      mgmt.rollback();
      return;
    }
    PropertyKey soul =
        mgmt.makePropertyKey(SOUL).dataType(String.class).cardinality(Cardinality.SINGLE).make();
    JanusGraphIndex bySoul =
        mgmt.buildIndex("bySoul", Vertex.class).addKey(soul).unique().buildCompositeIndex();
    mgmt.makeVertexLabel(NODE_LABEL).make();
    PropertyKey entries =
        mgmt.makePropertyKey(ENTRIES).dataType(String.class).cardinality(Cardinality.SINGLE).make();
    PropertyKey metaKey =
        mgmt.makePropertyKey(META_KEY).dataType(String.class)
            .cardinality(Cardinality.SINGLE).make();
    JanusGraphIndex byMetaKey =
        mgmt.buildIndex("byMetaKey", Vertex.class).addKey(metaKey).unique().buildCompositeIndex();
    if (shared) {
      mgmt.setConsistency(bySoul, ConsistencyModifier.LOCK);
      mgmt.setConsistency(byMetaKey, ConsistencyModifier.LOCK);
      mgmt.setConsistency(entries, ConsistencyModifier.LOCK);
    }
    mgmt.makeVertexLabel(META_LABEL).make();
    mgmt.makePropertyKey(META_CONTEXT)
        .dataType(String.class).cardinality(Cardinality.SINGLE).make();
    mgmt.commit();
  }
}
