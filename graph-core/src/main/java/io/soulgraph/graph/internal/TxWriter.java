package io.soulgraph.graph.internal;

import io.soulgraph.ham.Value;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.tinkerpop.gremlin.structure.Direction;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.apache.tinkerpop.gremlin.structure.T;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;
import org.janusgraph.core.JanusGraphTransaction;
import org.janusgraph.core.JanusGraphVertex;
import org.janusgraph.core.PropertyKey;
import org.janusgraph.graphdb.transaction.StandardJanusGraphTx;

/**
 * Writes one group commit's accepted fields into a JanusGraph transaction: primitives as vertex
 * properties, links as edges, tombstones as nothing, and the changed fields' HAM entries beside
 * them: a node's entries are spread by field name over {@code %h:<bucket>} properties
 * ({@link FieldNames#entryKey}), and a commit rewrites only the buckets of the fields it changes
 * (about one entry each, but on nodes of thousands of fields).
 *
 * <p>A vertex that still holds an older version's whole-node {@code %ham} record is migrated by
 * its first write: all its entries are written per field and the record goes. On a shared cluster
 * every commit also overwrites the vertex's {@code %ham} with a stamp of its own: that one cell
 * per vertex is what JanusGraph locks and checks, so a commit made on a read that another relay's
 * commit to the same vertex has since changed fails and is resolved again, as with the record.
 *
 * <p>JanusGraph keeps one namespace for property keys and edge labels, so a field name used for
 * links on one node and for primitives on another cannot take both: whichever kind claims the
 * escaped name first keeps it, the other kind is stored as {@code %:name} (property) or
 * {@code %>name} (edge label). Schema types are never removed, so the choice is stable.
 */
final class TxWriter {

  private static final String PROPERTY_ALT = "%:";
  private static final String EDGE_ALT = "%>";

  private final JanusGraphTransaction tx;
  private final Function<String, HotNode> known;
  /**
   * The property key each field name written in this transaction resolved to, and each entry
   * bucket's key: JanusGraph looks a type up by name on every write (a string built, two maps
   * read), and a batch writes the same few names over and over (a tenth of the writer's samples
   * at saturation, docs/benchmarks.md). Per transaction, because its types are bound to it.
   */
  private final Map<String, PropertyKey> fieldKeys = new HashMap<>();
  private final Map<Integer, PropertyKey> entryKeys = new HashMap<>();
  private final Map<String, JanusGraphVertex> vertices = new HashMap<>();
  private final Map<String, JanusGraphVertex> created = new HashMap<>();
  private Object metaVertexId;
  private final String metaKeyValue;
  private final SchemaDeclarer schema;
  private final boolean shared;
  private String stamp;

  /**
   * @param known what the hot index holds for a soul without loading it (null if nothing): a
   *     vertex id, or the knowledge that the soul has no vertex yet
   * @param schema declares new field names, each in a transaction of its own
   */
  TxWriter(JanusGraphTransaction tx, Function<String, HotNode> known, Object metaVertexId,
      String metaKeyValue, SchemaDeclarer schema, boolean shared) {
    this.schema = schema;
    this.shared = shared;
    this.tx = tx;
    this.known = known;
    this.metaVertexId = metaVertexId;
    this.metaKeyValue = metaKeyValue;
  }

  /** The vertex of a soul, found or created bare in this transaction. */
  JanusGraphVertex vertex(String soul) {
    JanusGraphVertex v = vertices.get(soul);
    if (v != null) {
      return v;
    }
    HotNode hot = known.apply(soul);
    if (hot == null) {
      v = GraphReads.findBySoul(tx, soul);
    } else if (hot.vertexId() != null) {
      v = tx.getVertex(hot.vertexId());
    }
    if (v == null) {
      v = tx.addVertex(T.label, JanusBackend.NODE_LABEL, JanusBackend.SOUL, soul);
      created.put(soul, v);
    }
    vertices.put(soul, v);
    return v;
  }

  /** Souls given a new vertex in this transaction, with those vertices. */
  Map<String, JanusGraphVertex> created() {
    return created;
  }

  /**
   * Replaces how a field is represented: {@code old} (null if none) by {@code now}. A primitive
   * replacing a primitive is written over it without removing it first: the key is SINGLE and
   * unindexed, so JanusGraph overwrites the stored cell blindly, while removing would read the
   * old property from the backend first (one read per changed field).
   */
  void replaceField(JanusGraphVertex v, String field, Value old, Value now) {
    boolean overwrite = old != null && isPrimitive(old) && isPrimitive(now);
    if (old != null && old.isLink()) {
      for (Iterator<Edge> it = v.edges(Direction.OUT, edgeLabel(field)); it.hasNext(); ) {
        it.next().remove();
      }
    } else if (old != null && !old.isNull() && !overwrite) {
      v.properties(propertyKeyName(field)).forEachRemaining(VertexProperty::remove);
    }
    if (now.isLink()) {
      v.addEdge(edgeLabel(field), vertex(now.linkSoul()));
    } else if (!now.isNull()) {
      janusTx().addProperty(VertexProperty.Cardinality.single, v, propertyKey(field),
          ValueCodec.toProperty(now));
    }
  }

  private static boolean isPrimitive(Value value) {
    return !value.isLink() && !value.isNull();
  }

  /**
   * Declares, before the batch writes, the field names it needs that the schema lacks: the
   * property key or edge label of each changed field and its entry key. Alone on its storage the
   * declarer makes them all in one transaction; a name wanted as both kinds in one batch, or one
   * that already exists as the other kind, is left to {@link #propertyKey}/{@link #edgeLabel}.
   */
  void declareNames(Map<String, Map<String, FieldEntry>> changes) {
    SchemaDeclarer.Missing missing = schema.missing(tx);
    changes.values().forEach(changed -> changed.forEach(
        (field, entry) -> missing.add(field, entry.fieldState().value())));
    schema.declare(missing);
  }

  /**
   * Writes the entry buckets of a node's changed fields, each with all of the node's entries that
   * fall in it. A vertex read with an older version's whole-node record gets all its buckets
   * written and loses the record.
   */
  void writeEntries(JanusGraphVertex v, HotNode before, Map<String, FieldEntry> changed) {
    boolean migrate = before.legacyRecord();
    Map<Integer, Map<String, FieldEntry>> buckets = new HashMap<>();
    boolean[] changedBuckets = new boolean[FieldNames.ENTRY_BUCKETS];
    changed.keySet().forEach(field -> changedBuckets[FieldNames.entryBucket(field)] = true);
    // String caches its hash: asking each stored name its bucket is cheap on wide nodes
    before.forEachField(field -> migrate || changedBuckets[FieldNames.entryBucket(field)],
        (field, entry) -> buckets.computeIfAbsent(FieldNames.entryBucket(field),
            b -> new TreeMap<>()).put(field, entry));
    changed.forEach((field, entry) -> buckets.computeIfAbsent(FieldNames.entryBucket(field),
        b -> new TreeMap<>()).put(field, entry));
    buckets.forEach((bucket, entries) -> {
      // SINGLE and unindexed: JanusGraph overwrites the stored cell without reading it
      janusTx().addProperty(VertexProperty.Cardinality.single, v, entryKey(bucket, migrate),
          EntryCodec.writeEntries(entries));
    });
    if (migrate && !shared) { // on a shared cluster the stamp below takes the record's place
      v.properties(JanusBackend.ENTRIES).forEachRemaining(VertexProperty::remove);
    }
    if (shared) {
      if (stamp == null) {
        stamp = "stamp:" + UUID.randomUUID();
      }
      v.property(VertexProperty.Cardinality.single, JanusBackend.ENTRIES, stamp);
    }
  }

  void writeMeta(String contextText) {
    JanusGraphVertex meta =
        metaVertexId == null ? GraphReads.findMeta(tx, metaKeyValue) : tx.getVertex(metaVertexId);
    if (meta == null) {
      meta = tx.addVertex(T.label, JanusBackend.META_LABEL,
          JanusBackend.META_KEY, metaKeyValue);
    }
    meta.property(VertexProperty.Cardinality.single, JanusBackend.META_CONTEXT, contextText);
    metaVertexId = meta.id();
  }

  /** The id of the store's metadata vertex, known once {@link #writeMeta} ran. */
  Object metaVertexId() {
    return metaVertexId;
  }

  /**
   * The transaction as JanusGraph's own, whose {@code addProperty} takes a resolved key. Asked for
   * only by field writes: a store's transactions are JanusGraph's, and the probe that commits the
   * context alone (its transaction may be a test's wrapper) writes no field.
   */
  private StandardJanusGraphTx janusTx() {
    return (StandardJanusGraphTx) tx;
  }

  private PropertyKey entryKey(int bucket, boolean migrate) {
    PropertyKey key = entryKeys.get(bucket);
    if (key == null) {
      String name = FieldNames.ENTRY_PREFIX + bucket;
      // declareNames made the changed fields' buckets; a migration also writes its other fields'
      if (migrate && !tx.containsPropertyKey(name)) {
        schema.declarePropertyKey(name);
      }
      key = janusTx().getOrCreatePropertyKey(name); // fails, naming it, if it is missing
      entryKeys.put(bucket, key);
    }
    return key;
  }

  private PropertyKey propertyKey(String field) {
    PropertyKey key = fieldKeys.get(field);
    if (key == null) {
      key = janusTx().getOrCreatePropertyKey(propertyKeyName(field));
      fieldKeys.put(field, key);
    }
    return key;
  }

  private String propertyKeyName(String field) {
    String name = FieldNames.escape(field);
    if (tx.containsEdgeLabel(name)) {
      name = PROPERTY_ALT + name;
    }
    if (!tx.containsPropertyKey(name)) {
      schema.declarePropertyKey(name);
      if (!tx.containsPropertyKey(name)) { // another relay made it an edge label just now
        name = PROPERTY_ALT + FieldNames.escape(field);
        schema.declarePropertyKey(name);
      }
    }
    return name;
  }

  private String edgeLabel(String field) {
    String name = FieldNames.escape(field);
    if (tx.containsPropertyKey(name)) {
      name = EDGE_ALT + name;
    }
    if (!tx.containsEdgeLabel(name)) {
      schema.declareEdgeLabel(name);
      if (!tx.containsEdgeLabel(name)) { // another relay made it a property key just now
        name = EDGE_ALT + FieldNames.escape(field);
        schema.declareEdgeLabel(name);
      }
    }
    return name;
  }
}
