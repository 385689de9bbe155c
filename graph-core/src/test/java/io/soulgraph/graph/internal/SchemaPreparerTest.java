package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.janusgraph.core.schema.JanusGraphManagement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big put's new field names can be declared off the writer ({@code SoulStore.prepare}), while
 * the writer declares those of puts that were not prepared: the two never make a name twice or
 * fail a put between them, and a closing store never leaves a preparation hanging.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class SchemaPreparerTest {

  @TempDir Path dir;

  private static Node wide(String soul, String prefix, int fields, double state) {
    Node node = Node.empty(soul);
    for (int i = 0; i < fields; i++) {
      node = node.with(prefix + i, Value.of(i), state);
    }
    return node;
  }

  @Test
  void prepare_declaresAPutsNewNames_beforeThePut() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      Graph diff = Graph.of(Node.empty("alice").with("nickname", Value.of("Al"), 1)
          .with("friend", Value.link("bob"), 1).with("gone", Value.NULL, 1));

      store.prepare(diff).get(30, TimeUnit.SECONDS);

      JanusGraphManagement schema = store.graph().openManagement();
      try {
        assertTrue(schema.containsPropertyKey("nickname"));
        assertTrue(schema.containsEdgeLabel("friend"));
        assertTrue(schema.containsPropertyKey(FieldNames.entryKey("gone")));
        assertFalse(schema.containsRelationType("gone"), "a tombstone needs no key of its own");
      } finally {
        schema.rollback();
      }
      store.put(diff, null).get(30, TimeUnit.SECONDS);
      assertEquals(Value.link("bob"), store.field("alice", "friend").orElseThrow().value());
    }
  }

  @Test
  void theWriterAndThePreparer_declaringTheSameNewNamesAtOnce_storeEveryPut() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.berkeleyJe(dir), Ticker.system())) {
      List<CompletableFuture<PutResult>> puts = new ArrayList<>();
      for (int round = 0; round < 30; round++) {
        String prefix = "r" + round + "-f";
        Graph prepared = Graph.of(wide("prepared-" + round, prefix, 200, 1));
        Graph unprepared = Graph.of(wide("unprepared-" + round, prefix, 200, 1));
        CompletableFuture<Void> ready = store.prepare(prepared);
        puts.add(store.put(unprepared, null)); // its names declared by the writer meanwhile
        puts.add(ready.thenCompose(done -> store.put(prepared, null)));
      }
      for (CompletableFuture<PutResult> put : puts) {
        put.get(60, TimeUnit.SECONDS);
      }
      for (int round = 0; round < 30; round++) {
        assertEquals(200, store.node("prepared-" + round).orElseThrow().fields().size());
        assertEquals(200, store.node("unprepared-" + round).orElseThrow().fields().size());
      }
    }
  }

  @Test
  void aClosedStore_completesAPreparationAtOnce() throws Exception {
    JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), Ticker.system());
    store.close();
    store.prepare(Graph.of(wide("late", "f", 10, 1))).get(5, TimeUnit.SECONDS);
  }
}
