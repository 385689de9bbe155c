package io.soulgraph.graph.internal;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import java.nio.file.Path;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.janusgraph.core.Cardinality;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphFactory;
import org.janusgraph.core.PropertyKey;
import org.janusgraph.core.schema.JanusGraphManagement;

/** Opens JanusGraph for a {@link StoreConfig} and makes sure the fixed schema exists. */
final class JanusBackend {

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
  /** The dot counter and causal context, as JSON. */
  static final String META_CONTEXT = "%context";

  /** Percentage of the heap BerkeleyDB JE may use for its cache (JE's default would be 65). */
  static final int BERKELEY_CACHE_PERCENT = 15;

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
      case CQL -> builder
          .set("storage.backend", "cql")
          .set("storage.hostname", String.join(",", config.cql().hosts()))
          .set("storage.port", config.cql().port())
          .set("storage.cql.keyspace", config.cql().keyspace());
      default -> throw new IllegalArgumentException("Unknown backend " + config.backend());
    }
    JanusGraph graph;
    try {
      graph = builder.open();
    } catch (RuntimeException e) {
      throw new StoreException("Could not open the " + config.backend() + " backend", e);
    }
    try {
      ensureSchema(graph);
    } catch (RuntimeException e) {
      graph.close();
      throw new StoreException("Could not create the soul graph schema", e);
    }
    return graph;
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

  static Path graphDir(Path dataDir) {
    return dataDir.resolve("graph");
  }

  private static void ensureSchema(JanusGraph graph) {
    JanusGraphManagement mgmt = graph.openManagement();
    if (mgmt.containsPropertyKey(SOUL)) {
      mgmt.rollback();
      return;
    }
    PropertyKey soul =
        mgmt.makePropertyKey(SOUL).dataType(String.class).cardinality(Cardinality.SINGLE).make();
    mgmt.buildIndex("bySoul", Vertex.class).addKey(soul).unique().buildCompositeIndex();
    mgmt.makeVertexLabel(NODE_LABEL).make();
    mgmt.makePropertyKey(ENTRIES).dataType(String.class).cardinality(Cardinality.SINGLE).make();
    PropertyKey metaKey =
        mgmt.makePropertyKey(META_KEY).dataType(String.class)
            .cardinality(Cardinality.SINGLE).make();
    mgmt.buildIndex("byMetaKey", Vertex.class).addKey(metaKey).unique().buildCompositeIndex();
    mgmt.makeVertexLabel(META_LABEL).make();
    mgmt.makePropertyKey(META_CONTEXT)
        .dataType(String.class).cardinality(Cardinality.SINGLE).make();
    mgmt.commit();
  }
}
