package io.soulgraph.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.Value;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A berkeleyje store closed and reopened holds exactly what it held, and resolves the same. */
@Timeout(120)
class BerkeleyJeRestartTest {

  static final long NOW = 1_795_287_911_420L;

  @TempDir Path dataDir;

  private final ManualTicker ticker = new ManualTicker(NOW + 10_000);

  private SoulStore open() {
    return SoulStores.open(StoreConfig.berkeleyJe(dataDir), ticker);
  }

  private static List<Update> sorted(List<Update> updates) {
    return updates.stream()
        .sorted(Comparator.comparing(Update::soul).thenComparing(Update::field)).toList();
  }

  @Test
  void reopen_afterClose_nodesLinksTombstonesStatesDotsAndContextAreBack() throws Exception {
    Node alice = Node.empty("alice").with("name", Value.of("Alice"), NOW)
        .with("friend", Value.link("bob"), NOW).with("gone", Value.of(1), NOW);
    Node aliceAfter;
    String replicaId;
    CausalContext context;
    List<Update> allWrites;
    try (SoulStore store = open()) {
      store.put(Graph.of(alice), null).get(30, TimeUnit.SECONDS);
      store.put(Graph.of(Node.empty("alice").with("gone", Value.NULL, NOW + 1)), null).get();
      store.applyAntiEntropy(List.of(new Update("carol", "age", 
          new io.soulgraph.ham.FieldState(Value.of(7), NOW), new Dot("peer", 5))),
          new CausalContext()).get();
      aliceAfter = store.node("alice").orElseThrow();
      replicaId = store.replicaId();
      context = store.context();
      allWrites = sorted(AntiEntropyStreams.all(store.missingFor(new CausalContext(), 2), 2));
    }

    try (SoulStore store = open()) {
      assertEquals(replicaId, store.replicaId());
      assertEquals(Optional.of(aliceAfter), store.node("alice"));
      assertEquals(Value.NULL, store.field("alice", "gone").orElseThrow().value());
      assertEquals(NOW + 1, store.field("alice", "gone").orElseThrow().state());
      assertEquals(context, store.context());
      assertEquals(allWrites,
          sorted(AntiEntropyStreams.all(store.missingFor(new CausalContext(), 2), 2)));
      assertTrue(store.context().contains(new Dot("peer", 5)));
      try {
        assertEquals(List.of("bob"), store.readOnlyTraversal().V()
            .has("soul", "alice").out("friend").values("soul").toList());
      } finally {
        store.readOnlyTraversal().getGraph().tx().rollback();
      }

      PutResult stale = store.put(Graph.of(Node.empty("alice")
          .with("gone", Value.of(2), NOW).with("name", Value.of("Old"), NOW - 5)), null).get();
      assertEquals(2, stale.historical());
      assertEquals(Value.NULL, store.field("alice", "gone").orElseThrow().value());

      store.put(Graph.of(Node.empty("alice").with("name", Value.of("New"), NOW + 2)), null).get();
      long before = context.vector().get(replicaId);
      assertEquals(before + 1, store.context().vector().get(replicaId));
    }
  }
}
