package io.soulgraph.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.internal.FieldNames;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A berkeleyje store written by the version before per-field entries (each node's HAM entries in
 * one {@code %ham} record) opens, reads and resolves as it did, and a node's first write migrates
 * it to entry buckets ({@code %h:<bucket>} properties). The store in {@code legacy-ham-store/} was written
 * by {@code MakeLegacyStore.java.txt} beside it, run against that version's relay jar.
 */
@Timeout(120)
class LegacyHamStoreTest {

  private static final String FIXTURE = "/legacy-ham-store/";
  private static final String REPLICA = "ab5f88fe-1275-487c-9386-052026074704";

  @TempDir Path dataDir;

  @BeforeEach
  void copyFixture() throws IOException {
    for (String file : List.of("replica-id", "graph/00000000.jdb")) {
      Path target = dataDir.resolve(file);
      Files.createDirectories(target.getParent());
      try (InputStream in = LegacyHamStoreTest.class.getResourceAsStream(FIXTURE + file)) {
        Files.copy(in, target);
      }
    }
  }

  private SoulStore open() {
    return SoulStores.open(StoreConfig.berkeleyJe(dataDir));
  }

  private static Map<String, FieldState> alice() {
    Map<String, FieldState> fields = new LinkedHashMap<>();
    fields.put("name", new FieldState(Value.of("Alice"), 1000));
    fields.put("age", new FieldState(Value.of(42), 1000));
    fields.put("friend", new FieldState(Value.link("bob"), 1000));
    fields.put("gone", new FieldState(Value.NULL, 1001));
    fields.put("soul", new FieldState(Value.of("a field named soul"), 1000));
    fields.put("%odd{}", new FieldState(Value.TRUE, 1000));
    return fields;
  }

  private static Map<String, FieldState> carol() {
    return Map.of("friend", new FieldState(Value.of("text"), 1003),
        "next", new FieldState(Value.link("dave"), 1003));
  }

  private static void assertReadsAsWritten(SoulStore store, Map<String, FieldState> alice) {
    assertEquals(alice, store.node("alice").orElseThrow().fields());
    assertEquals(Map.of("name", new FieldState(Value.of("Bob"), 1002)),
        store.node("bob").orElseThrow().fields());
    assertEquals(carol(), store.node("carol").orElseThrow().fields());
  }

  private static List<Update> everything(SoulStore store) {
    return AntiEntropyStreams.all(store.missingFor(new CausalContext(), 3), 3).stream()
        .sorted(Comparator.comparing(Update::soul).thenComparing(Update::field)).toList();
  }

  private static <T> T internals(SoulStore store, Function<GraphTraversalSource, T> query) {
    GraphTraversalSource internals = store.readOnlyInternals();
    try {
      return query.apply(internals);
    } finally {
      internals.getGraph().tx().rollback();
    }
  }

  private static List<String> keysOf(SoulStore store, String soul) {
    return internals(store,
        g -> g.V().has("soul", soul).properties().key().toList().stream().sorted().toList());
  }

  @Test
  void oldStore_readsAsItWasWritten_andStreamsEveryWriteWithItsDot() throws Exception {
    try (SoulStore store = open()) {
      assertReadsAsWritten(store, alice());
      List<Update> all = everything(store);
      assertEquals(9, all.size(), all.toString());
      assertTrue(all.stream().allMatch(u -> u.dot().replica().equals(REPLICA)), all.toString());
      assertEquals(new FieldState(Value.NULL, 1001),
          all.stream().filter(u -> u.field().equals("gone")).findFirst().orElseThrow()
              .fieldState());
      // HAM decides against the old record: an older write to alice is historical
      PutResult older = store.put(Graph.of(Node.empty("alice").with("name", Value.of("Al"), 999)),
          null).get(30, TimeUnit.SECONDS);
      assertTrue(older.accepted().isEmpty());
      assertEquals(alice(), store.node("alice").orElseThrow().fields());
      assertTrue(keysOf(store, "alice").contains("%ham"), "not written: still the old record");
    }
  }

  @Test
  void firstWrite_migratesTheNodeToPerFieldEntries_andAReopenReadsTheSame() throws Exception {
    Map<String, FieldState> alice = alice();
    alice.put("age", new FieldState(Value.of(43), 2000));
    try (SoulStore store = open()) {
      PutResult put = store.put(Graph.of(Node.empty("alice").with("age", Value.of(43), 2000)),
          null).get(30, TimeUnit.SECONDS);
      assertEquals(1, put.accepted().fieldCount());
      assertReadsAsWritten(store, alice);
      List<String> keys = new ArrayList<>(List.of("%!soul", "%25odd%7B%7D", "age", "name", "soul"));
      alice.keySet().forEach(field -> keys.add(FieldNames.entryKey(field)));
      assertEquals(keys.stream().distinct().sorted().toList(), keysOf(store, "alice"),
          "the record is gone, each field's entry is in its bucket");
      assertEquals(List.of("%ham", "name", "soul"), keysOf(store, "bob"), "bob was not written");
    }
    try (SoulStore store = open()) {
      assertReadsAsWritten(store, alice);
      List<Update> all = everything(store);
      assertEquals(9, all.size(), all.toString());
      Update age = all.stream().filter(u -> u.field().equals("age")).findFirst().orElseThrow();
      assertEquals(new FieldState(Value.of(43), 2000), age.fieldState());
      assertTrue(age.dot().counter() > 10, "the old store handed out 10 dots: " + age);
      assertEquals(List.of("Alice"), internals(store,
          g -> g.V().has("soul", "alice").values("name").toList()));
      GraphTraversalSource g = store.readOnlyTraversal();
      try {
        assertEquals(List.of("%!soul", "%25odd%7B%7D", "age", "name", "soul"),
            g.V().has("soul", "alice").properties().key().toList().stream().sorted().toList());
        assertEquals(List.of("name", "soul"),
            g.V().has("soul", "bob").properties().key().toList().stream().sorted().toList());
      } finally {
        g.getGraph().tx().rollback();
      }
    }
  }
}
