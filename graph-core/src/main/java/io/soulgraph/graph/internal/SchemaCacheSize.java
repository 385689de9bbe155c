package io.soulgraph.graph.internal;

import java.lang.reflect.Field;
import org.janusgraph.graphdb.database.StandardJanusGraph;
import org.janusgraph.graphdb.database.cache.SchemaCache;
import org.janusgraph.graphdb.database.cache.StandardSchemaCache;
import org.janusgraph.graphdb.database.management.ManagementLogger;

/**
 * Gives an open graph a schema cache for more types than JanusGraph's fixed 10,000.
 *
 * <p>Why: every field name is a JanusGraph property key or edge label (docs/data-model.md), and a
 * store with more names than its schema cache holds misses it on nearly every lookup of a name
 * (JanusGraph 1.1.0 switches to a size-bounded cache past 10,000 types, and a wide node's names
 * cycle through it). Each miss opens a JanusGraph transaction and reads the backend, several per
 * field written: the writer spent 44 % of a 16,000-field put in them (docs/benchmarks.md). The
 * size is not configurable in JanusGraph ({@code GraphDatabaseConfiguration.getTypeCache} always
 * builds {@code new StandardSchemaCache(retriever)}), so the graph's cache is replaced right after
 * it opens, before any of the store's transactions: in the graph, and in its management logger,
 * which expires entries when another instance changes a type. The cache is a
 * {@link SeededSchemaCache}, which the declarer tells about the types it makes.
 */
final class SchemaCacheSize {

  /** JanusGraph's own size, which the cache never goes below. */
  static final int JANUSGRAPH_DEFAULT_TYPES = StandardSchemaCache.MAX_CACHED_TYPES_DEFAULT;
  /**
   * Heap per cached type: a cached field name and its definition took 2.2 KB (heap after GC with
   * 41,000 names cached against 10,000), so one type per 20 KiB of heap keeps a full cache near a
   * tenth of the heap: 26,214 types on the relay's default 512 MiB.
   */
  static final long HEAP_BYTES_PER_TYPE = 20 << 10;
  private static final int MAX_TYPES = 1_000_000;

  private SchemaCacheSize() {}

  /** How many types the schema cache holds in a JVM of at most {@code maxHeapBytes}. */
  static int forHeap(long maxHeapBytes) {
    long types = maxHeapBytes / HEAP_BYTES_PER_TYPE;
    return (int) Math.max(JANUSGRAPH_DEFAULT_TYPES, Math.min(MAX_TYPES, types));
  }

  /**
   * Replaces the graph's schema cache by one holding up to {@code types} relation types. Fails,
   * naming the field, if this JanusGraph version is not laid out as 1.1.0 is.
   */
  static void enlarge(StandardJanusGraph graph, int types) {
    SchemaCache.StoreRetrieval retrieval =
        (SchemaCache.StoreRetrieval) read(StandardJanusGraph.class, "typeCacheRetrieval", graph);
    StandardSchemaCache larger = new SeededSchemaCache(graph, types, retrieval);
    write(StandardJanusGraph.class, "schemaCache", graph, larger);
    ManagementLogger logger =
        (ManagementLogger) read(StandardJanusGraph.class, "managementLogger", graph);
    write(ManagementLogger.class, "schemaCache", logger, larger);
  }

  private static Object read(Class<?> owner, String name, Object target) {
    try {
      return field(owner, name).get(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(unexpected(owner, name), e);
    }
  }

  private static void write(Class<?> owner, String name, Object target, Object value) {
    try {
      field(owner, name).set(target, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(unexpected(owner, name), e);
    }
  }

  private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }

  private static String unexpected(Class<?> owner, String name) {
    return "Expected JanusGraph's " + owner.getSimpleName() + " to have the field " + name
        + " (JanusGraph 1.1.0) to size its schema cache, but it could not be used";
  }
}
