package io.soulgraph.graph.internal;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.tinkerpop.gremlin.structure.Direction;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.diskstorage.EntryList;
import org.janusgraph.diskstorage.keycolumnvalue.SliceQuery;
import org.janusgraph.graphdb.database.EdgeSerializer;
import org.janusgraph.graphdb.database.StandardJanusGraph;
import org.janusgraph.graphdb.database.cache.StandardSchemaCache;
import org.janusgraph.graphdb.internal.JanusGraphSchemaCategory;
import org.janusgraph.graphdb.transaction.StandardJanusGraphTx;
import org.janusgraph.graphdb.types.system.BaseKey;
import org.janusgraph.graphdb.types.system.BaseLabel;
import org.janusgraph.graphdb.types.system.BaseRelationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JanusGraph's schema cache, handed the relation types this process has just made, so that their
 * first use reads nothing.
 *
 * <p>Why: JanusGraph caches a type only once it is looked up, and a type's first lookup (its id
 * by name, then its name, definition and index edges) opens a transaction and reads the backend
 * five times. Every field name is a type (docs/data-model.md), so a put of 16,000 new names spent
 * more of its time in those reads than in making the types (docs/benchmarks.md). After it commits
 * new types, the declarer reads their rows here in one transaction, one multi-key slice per
 * relation JanusGraph will ask for, and the cache's first miss of each takes its seed instead of
 * reading. A seed is taken once: later misses (after an eviction, or after a change another relay
 * made) read the backend as before.
 *
 * <p>Where this process alone makes types ({@link #knowAll}), it also answers "no such type" from
 * memory: a new field name was looked up twice before it was made (by the batch finding what it
 * lacks, and by JanusGraph's uniqueness check), each a transaction and an index read that found
 * nothing.
 */
final class SeededSchemaCache extends StandardSchemaCache {

  private static final Logger LOG = LoggerFactory.getLogger(SeededSchemaCache.class);
  /** What JanusGraph reads of a relation type's vertex ({@code JanusGraphSchemaVertex}). */
  private static final List<Relations> READ_OF_A_TYPE = List.of(
      new Relations(BaseKey.SchemaName, Direction.OUT),
      new Relations(BaseKey.SchemaDefinitionProperty, Direction.OUT),
      new Relations(BaseLabel.SchemaDefinitionEdge, Direction.OUT),
      new Relations(BaseLabel.SchemaDefinitionEdge, Direction.IN));
  /**
   * Types seeded and not yet looked up; past this many the seeds go (they only save reads). A
   * seed is taken within a batch of its making; the bound is for names made for a put that then
   * failed, at about a kilobyte each.
   */
  private static final int MAX_SEEDED_TYPES = 20_000;
  /** Relation types a filter is sized for; past it, more names read the backend (1 % at it). */
  private static final int EXPECTED_TYPE_NAMES = 1_000_000;
  private static final double FALSE_POSITIVES = 0.01;
  /** What JanusGraph puts before a relation type's name in the schema ("rt"). */
  private static final String RELATION_TYPE_PREFIX = relationTypePrefix();

  private final StandardJanusGraph graph;
  private final Seeds seeds;

  private SeededSchemaCache(StandardJanusGraph graph, int types, Seeds seeds) {
    super(types, seeds);
    this.graph = graph;
    this.seeds = seeds;
  }

  SeededSchemaCache(StandardJanusGraph graph, int types, StoreRetrieval backend) {
    this(graph, types, new Seeds(backend));
  }

  /** The seeded cache of {@code graph}, or null if it has none (a graph not opened by us). */
  static SeededSchemaCache of(JanusGraph graph) {
    return graph instanceof StandardJanusGraph standard
        && standard.getSchemaCache() instanceof SeededSchemaCache seeded ? seeded : null;
  }

  /**
   * Reads the rows of types just committed ({@code made}: their names and ids), for their first
   * lookups to take. Never fails: a type not seeded is read from the backend when first used, as
   * JanusGraph does.
   */
  void seed(Map<String, Long> made) {
    if (made.isEmpty()) {
      return;
    }
    List<Long> ids = new ArrayList<>(made.values());
    List<Object> vertexIds = new ArrayList<>(ids);
    Map<Relations.Of, EntryList> rows = new HashMap<>();
    StandardJanusGraphTx tx = (StandardJanusGraphTx) graph.newTransaction();
    try {
      tx.getTxHandle().disableCache(); // as JanusGraph's own schema reads: straight from storage
      for (Relations relations : READ_OF_A_TYPE) {
        List<EntryList> read = graph.edgeMultiQuery(vertexIds, relations.query(graph),
            tx.getTxHandle());
        for (int i = 0; i < ids.size(); i++) {
          if (read.get(i) != null) {
            rows.put(relations.of(ids.get(i)), read.get(i));
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("Could not read back {} new schema types; their first use will ({})",
          made.size(), e.toString());
      return;
    } finally {
      tx.rollback();
    }
    if (seeds.ids.size() + made.size() > MAX_SEEDED_TYPES) {
      seeds.ids.clear();
      seeds.rows.clear();
    }
    seeds.rows.putAll(rows);
    made.forEach((name, id) ->
        seeds.ids.put(JanusGraphSchemaCategory.getRelationTypeName(name), id));
  }

  /**
   * From now on, a relation type name that is neither in {@code names} (every relation type the
   * store holds) nor passed to {@link #willMake} since is answered "no such type" without a read.
   * Only for a store no other process makes types in (berkeleyje locks its environment; inmemory
   * is this process's): there, "not in the filter" means "not in the store", since every type is
   * made by this process after {@link #willMake}. A name that hashes like a known one (a Bloom
   * filter's false positive) is read from the backend as before.
   */
  void knowAll(Collection<String> names) {
    BloomFilter<CharSequence> filter = BloomFilter.create(
        Funnels.stringFunnel(StandardCharsets.UTF_8),
        Math.max(EXPECTED_TYPE_NAMES, 2L * names.size()), FALSE_POSITIVES);
    names.forEach(name -> filter.put(JanusGraphSchemaCategory.getRelationTypeName(name)));
    seeds.typeNames = filter;
  }

  /**
   * Called before relation types of these names are made, so that once they exist no lookup is
   * told they do not (adding names a failed declaration then did not make costs only reads).
   */
  void willMake(Collection<String> names) {
    BloomFilter<CharSequence> filter = seeds.typeNames;
    if (filter != null) {
      names.forEach(name -> filter.put(JanusGraphSchemaCategory.getRelationTypeName(name)));
    }
  }

  private static String relationTypePrefix() {
    String probe = JanusGraphSchemaCategory.getRelationTypeName("x");
    return probe.substring(0, probe.length() - 1);
  }

  /** How many lookups of a type by name read the backend (for tests). */
  long backendNameReads() {
    return seeds.backendNameReads.sum();
  }

  /** How many types are seeded and not yet looked up (for tests). */
  int seededTypes() {
    return seeds.ids.size();
  }

  @Override
  public void expireSchemaElement(long schemaId) {
    seeds.ids.values().removeIf(id -> id == schemaId);
    seeds.rows.keySet().removeIf(of -> of.schemaId() == schemaId);
    super.expireSchemaElement(schemaId);
  }

  /** JanusGraph's reads of the schema, answered by a seed when there is one. */
  private static final class Seeds implements StoreRetrieval {
    private final StoreRetrieval backend;
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final Map<Relations.Of, EntryList> rows = new ConcurrentHashMap<>();
    /** Every relation type name in the store, hashed (see {@link #knowAll}), or null. */
    private volatile BloomFilter<CharSequence> typeNames;
    private final LongAdder backendNameReads = new LongAdder();

    Seeds(StoreRetrieval backend) {
      this.backend = backend;
    }

    @Override
    public Long retrieveSchemaByName(String typeName) {
      Long id = ids.remove(typeName);
      if (id != null) {
        return id;
      }
      BloomFilter<CharSequence> known = typeNames;
      if (known != null && typeName.startsWith(RELATION_TYPE_PREFIX)
          && !known.mightContain(typeName)) {
        return null;
      }
      backendNameReads.increment();
      return backend.retrieveSchemaByName(typeName);
    }

    @Override
    public EntryList retrieveSchemaRelations(long schemaId, BaseRelationType type, Direction dir) {
      EntryList row = rows.remove(new Relations.Of(schemaId, type, dir));
      return row != null ? row : backend.retrieveSchemaRelations(schemaId, type, dir);
    }
  }

  /** One system relation of a schema vertex, in one direction. */
  private record Relations(BaseRelationType type, Direction dir) {

    /** The slice JanusGraph reads for it (as {@code RelationQueryCache} builds it). */
    SliceQuery query(StandardJanusGraph graph) {
      return graph.getEdgeSerializer().getQuery(type, dir,
          new EdgeSerializer.TypedInterval[type.getSortKey().length]);
    }

    Of of(long schemaId) {
      return new Of(schemaId, type, dir);
    }

    /** Those relations of one schema vertex. */
    record Of(long schemaId, BaseRelationType type, Direction dir) {}
  }
}
