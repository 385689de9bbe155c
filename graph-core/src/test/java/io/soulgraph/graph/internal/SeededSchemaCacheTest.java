package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.janusgraph.core.Cardinality;
import org.janusgraph.core.RelationType;
import org.janusgraph.core.schema.JanusGraphManagement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field names a put declares are handed to JanusGraph's schema cache as they are made, so
 * the put's own writes find them without reading the backend, and they behave as types read from
 * the backend do: their kind, cardinality and data type, in the graph and after a reopen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class SeededSchemaCacheTest {

  @TempDir Path dir;

  private static Graph wideWithLinks(String soul, int fields) {
    Node node = Node.empty(soul);
    for (int i = 0; i < fields; i++) {
      node = node.with("n" + i, Value.of(i), 1).with("l" + i, Value.link("target-" + i), 1);
    }
    return Graph.of(node);
  }

  @Test
  void namesPrepared_areSeeded_andThePutTakesEverySeed() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      SeededSchemaCache cache = SeededSchemaCache.of(store.graph());
      assertNotNull(cache, "a store's graph has the seeded cache");
      Graph diff = wideWithLinks("wide", 100);

      store.prepare(diff).get(30, TimeUnit.SECONDS);
      assertTrue(cache.seededTypes() >= 200,
          "100 keys and 100 labels made, seeded: " + cache.seededTypes());

      store.put(diff, null).get(30, TimeUnit.SECONDS);
      assertEquals(0, cache.seededTypes(), "the put's first lookups took every seed");
      assertReadable(store.readOnlyTraversal(), 100);
    }
  }

  @Test
  void namesTheWriterDeclares_areSeededAndTaken_byTheSameBatch() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      store.put(wideWithLinks("wide", 100), null).get(30, TimeUnit.SECONDS);
      assertEquals(0, SeededSchemaCache.of(store.graph()).seededTypes());
      assertReadable(store.readOnlyTraversal(), 100);
    }
  }

  @Test
  void seededTypes_areTheTypesStored_asAReopenedStoreReadsThem() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      store.put(wideWithLinks("wide", 20), null).get(30, TimeUnit.SECONDS);
      assertTypes(store.graph().openManagement());
    }
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      assertTypes(store.graph().openManagement()); // read from the backend, nothing seeded
      assertReadable(store.readOnlyTraversal(), 20);
    }
  }

  @Test
  void newNames_areFoundMissingWithoutReadingTheBackend() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      SeededSchemaCache cache = SeededSchemaCache.of(store.graph());
      store.put(wideWithLinks("first", 1), null).get(30, TimeUnit.SECONDS); // the fixed keys read
      long before = cache.backendNameReads();
      store.put(wideWithLinks("wide", 100), null).get(30, TimeUnit.SECONDS);
      // 300 new names (100 keys, 100 labels, 100 entry keys), each looked up before it is made
      assertTrue(cache.backendNameReads() - before < 10,
          "backend reads of names: " + (cache.backendNameReads() - before));
      assertReadable(store.readOnlyTraversal(), 100);
    }
  }

  @Test
  void aReopenedStore_findsTheNamesItHolds_neverMakesOneTwice() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      store.put(wideWithLinks("wide", 20), null).get(30, TimeUnit.SECONDS);
    }
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      store.put(wideWithLinks("again", 20), null).get(30, TimeUnit.SECONDS);
      JanusGraphManagement schema = store.graph().openManagement();
      try {
        long keysNamedN0 = StreamSupport.stream(
            schema.getRelationTypes(RelationType.class).spliterator(), false)
            .filter(type -> type.name().equals("n0")).count();
        assertEquals(1, keysNamedN0, "a type made again for a name the store held");
      } finally {
        schema.rollback();
      }
      assertReadable(store.readOnlyTraversal(), 20);
      assertEquals(19.0, store.readOnlyTraversal().V().has("soul", "again").values("n19").next());
    }
  }

  private static void assertTypes(JanusGraphManagement schema) {
    try {
      for (String key : List.of("n0", "n19")) {
        assertTrue(schema.containsPropertyKey(key), key);
        assertEquals(Cardinality.SINGLE, schema.getPropertyKey(key).cardinality());
        assertEquals(Object.class, schema.getPropertyKey(key).dataType());
      }
      assertTrue(schema.containsEdgeLabel("l7"));
      assertTrue(schema.getEdgeLabel("l7").isDirected());
    } finally {
      schema.rollback();
    }
  }

  private static void assertReadable(GraphTraversalSource g, int fields) {
    try {
      assertEquals(7.0, g.V().has("soul", "wide").values("n7").next());
      assertEquals("target-" + (fields - 1),
          g.V().has("soul", "wide").out("l" + (fields - 1)).values("soul").next());
      assertEquals((long) fields, g.V().has("soul", "wide").outE().count().next());
    } finally {
      g.getGraph().tx().rollback();
    }
  }
}
