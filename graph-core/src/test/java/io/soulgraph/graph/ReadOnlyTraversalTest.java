package io.soulgraph.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.internal.FieldNames;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.decoration.SubgraphStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.verification.ReadOnlyStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only traversal sources a SoulStore hands to Gremlin: the user's graph only, as
 * TinkerGraph would show it, and no way to write.
 */
@Timeout(120)
final class ReadOnlyTraversalTest {

  private static final long NOW = 1_795_287_911_420L;
  private static SoulStore store;

  @BeforeAll
  static void open() throws Exception {
    store = SoulStores.open(StoreConfig.inMemory(), new ManualTicker(NOW + 10_000));
    Graph diff = Graph.of(
        Node.empty("alice").with("name", Value.of("Alice"), NOW)
            .with("friend", Value.link("bob"), NOW).with("gone", Value.NULL, NOW)
            .with("soul", Value.of("escaped"), NOW),
        Node.empty("bob").with("name", Value.of("Bob"), NOW));
    store.put(diff, "test").get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  private static <T> T read(Function<GraphTraversalSource, T> query) {
    GraphTraversalSource g = store.readOnlyTraversal();
    try {
      return query.apply(g);
    } finally {
      g.getGraph().tx().rollback();
    }
  }

  private static long internalVertexCount() {
    GraphTraversalSource internals = store.readOnlyInternals();
    try {
      return internals.V().count().next();
    } finally {
      internals.getGraph().tx().rollback();
    }
  }

  @Test
  void userView_showsSoulsOnly_countsAndLabelsMatchTheData() {
    assertEquals(2L, (long) read(g -> g.V().count().next()));
    assertEquals(List.of("node"), read(g -> g.V().label().dedup().toList()));
    assertEquals(List.of("friend"), read(g -> g.E().label().dedup().toList()));
    assertTrue(internalVertexCount() > 2, "the metadata vertex is still there for operators");
  }

  @Test
  void userView_hidesTheHamEntries_inEveryPropertyStep() {
    Map<Object, Object> map = read(g -> g.V().has("soul", "alice").valueMap(true).next());
    assertFalse(map.keySet().stream().anyMatch(k -> String.valueOf(k).startsWith("%h")), "" + map);
    assertEquals(List.of("Alice"), map.get("name"), "" + map);
    List<String> keys = read(g -> g.V().has("soul", "alice").properties().key().toList());
    assertEquals(List.of("%!soul", "name", "soul"), keys.stream().sorted().toList());
    Map<Object, Object> element = read(g -> g.V().has("soul", "alice").elementMap().next());
    assertFalse(element.keySet().stream().anyMatch(k -> String.valueOf(k).startsWith("%h")),
        element.toString());
    assertEquals(List.of(), read(g -> g.V().values("%ham").toList()));
    assertEquals(List.of(), read(g -> g.V().values(FieldNames.entryKey("name")).toList()));
    assertEquals(List.of(), read(g -> g.V().properties(FieldNames.entryKey("friend")).toList()));
  }

  @Test
  void internals_showTheHamEntriesAndMetadata() {
    GraphTraversalSource internals = store.readOnlyInternals();
    try {
      assertEquals(1L, internals.V().has("soul", "alice")
          .values(FieldNames.entryKey("name")).count().next());
      assertEquals(1L, internals.V().has("soul", "alice")
          .values(FieldNames.entryKey("friend")).count().next());
      assertEquals(1L, internals.V().hasLabel("%meta").count().next());
    } finally {
      internals.getGraph().tx().rollback();
    }
  }

  @Test
  void unknownKeysAndLabels_giveEmptyResults_notErrors() {
    assertEquals(List.of(), read(g -> g.V().values("nosuchkey").toList()));
    assertEquals(List.of(), read(g -> g.V().has("nosuchkey", "x").toList()));
    assertEquals(List.of(), read(g -> g.V().out("nosuchlabel").toList()));
    assertEquals(List.of(), read(g -> g.V().valueMap("nosuchkey").next().keySet().stream().toList()));
    assertEquals(List.of(), read(g -> g.V().has("soul", "alice").values("gone").toList()));
  }

  @Test
  void escapedFieldNames_areReadableUnderTheirEscapedName() {
    assertEquals(List.of("escaped"), read(g -> g.V().has("soul", "alice").values("%!soul").toList()));
  }

  @Test
  void writes_areRefused_andCannotBeUnlocked() {
    assertThrows(Exception.class, () -> read(g -> g.addV("node").property("soul", "eve").iterate()));
    assertThrows(Exception.class, () -> read(g -> g.V().has("soul", "bob").property("name", "X").iterate()));
    assertThrows(Exception.class, () -> read(g -> g.V().drop().iterate()));
    assertThrows(Exception.class, () -> read(g -> g.inject(1).sideEffect(__.addV("node")).iterate()));
    assertThrows(Exception.class,
        () -> read(g -> g.withoutStrategies(ReadOnlyStrategy.class).addV("node").iterate()));
    assertThrows(Exception.class, () -> read(g -> g.tx()));
    assertThrows(Exception.class, () -> read(g -> g.withComputer().V().count().next()));
    assertEquals(2L, (long) read(g -> g.V().count().next()));
    assertEquals(List.of("Bob"), read(g -> g.V().has("soul", "bob").values("name").toList()));
  }

  @Test
  void io_isRefused_noFileIsWritten(@TempDir Path dir) {
    Path target = dir.resolve("dump.graphml");
    assertThrows(Exception.class, () -> read(g -> g.io(target.toString()).write().iterate()));
    assertFalse(Files.exists(target));
  }

  @Test
  void hiding_cannotBeRemovedOrReplaced() {
    assertEquals(2L, (long) read(g -> g.withStrategies(SubgraphStrategy.build()
        .vertices(__.identity()).create()).V().count().next()));
    @SuppressWarnings("unchecked")
    long count = read(g -> g.withoutStrategies(SubgraphStrategy.class).V().count().next());
    assertEquals(2L, count);
  }
}
