package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cursor hands out every write the peer lacks once, in batches of at most its bound. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class MissingCursorTest {

  @Test
  void next_manyCommits_everyMissingWriteOnceInBoundedBatches() throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), () -> 10_000)) {
      for (int from = 0; from < 120; from += 40) {
        Node[] nodes = new Node[40];
        for (int k = 0; k < nodes.length; k++) {
          nodes[k] = Node.empty("s" + (from + k)).with("n", Value.of(from + k), 5_000);
        }
        store.put(Graph.of(nodes), null).get(30, TimeUnit.SECONDS);
      }
      CausalContext remote = new CausalContext();
      remote.add(new Dot(store.replicaId(), 1)); // one write the peer has: not sent
      remote.add(new Dot(store.replicaId(), 60)); // and one it has out of order
      MissingCursor cursor = new MissingCursor(store.graph(), remote, 7, c -> { });
      List<Update> all = new ArrayList<>();
      for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
        assertTrue(batch.size() <= 7, "a batch over its bound");
        all.addAll(batch);
      }
      Set<Long> counters = new HashSet<>();
      all.forEach(u -> counters.add(u.dot().counter()));
      assertEquals(118, all.size());
      assertEquals(118, counters.size(), "a write handed out twice");
      assertTrue(!counters.contains(1L) && !counters.contains(60L), "sent a write the peer has");
    }
  }
}
