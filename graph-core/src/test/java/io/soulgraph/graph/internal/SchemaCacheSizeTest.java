package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.janusgraph.graphdb.database.StandardJanusGraph;
import org.janusgraph.graphdb.database.cache.SchemaCache;
import org.janusgraph.graphdb.database.cache.StandardSchemaCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A store's JanusGraph caches as many field names as its heap allows, not JanusGraph's fixed
 * 10,000: past that, every write of a name read it from the backend again (docs/benchmarks.md).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SchemaCacheSizeTest {

  @Test
  void theCache_growsWithTheHeap_neverBelowJanusGraphsOwnSize() {
    assertEquals(26_214, SchemaCacheSize.forHeap(512L << 20)); // the relay's default heap
    assertEquals(104_857, SchemaCacheSize.forHeap(2L << 30));
    assertEquals(10_000, SchemaCacheSize.forHeap(64L << 20));
    assertEquals(1_000_000, SchemaCacheSize.forHeap(Long.MAX_VALUE)); // no -Xmx limit
  }

  @Test
  void anOpenStore_usesTheLargerCache_inTheGraphAndItsManagementLogger() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), Ticker.system())) {
      StandardJanusGraph graph = (StandardJanusGraph) store.graph();
      SchemaCache cache = graph.getSchemaCache();
      assertEquals(SchemaCacheSize.forHeap(Runtime.getRuntime().maxMemory()),
          field(StandardSchemaCache.class, "maxCachedTypes", cache));
      Object logger = field(StandardJanusGraph.class, "managementLogger", graph);
      assertSame(cache, field(logger.getClass(), "schemaCache", logger),
          "schema changes from other relays expire entries of the cache in use");

      // and the graph still works through it: a new name is declared, written and read back
      store.put(Graph.of(Node.empty("s").with("brand new", Value.of("x"), 1)), null)
          .get(30, TimeUnit.SECONDS);
      assertEquals(Value.of("x"), store.node("s").orElseThrow().fields().get("brand new").value());
    }
  }

  private static Object field(Class<?> owner, String name, Object target) throws Exception {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(target);
  }
}
