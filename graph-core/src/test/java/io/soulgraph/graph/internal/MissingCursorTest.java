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

/** The cursor's read-ahead: a gap wider than it is sorted in chunks, each write handed out once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class MissingCursorTest {

  @Test
  void next_readAheadSmallerThanTheGap_everyMissingWriteOnceEachChunkInCounterOrder()
      throws Exception {
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
      // about five writes fit in 1,000 bytes: many chunks
      MissingCursor cursor = new MissingCursor(store.graph(), remote, 7, 1_000, c -> { });
      List<Update> all = new ArrayList<>();
      for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
        assertTrue(batch.size() <= 7, "a batch over its bound");
        all.addAll(batch);
      }
      Set<Long> counters = new HashSet<>();
      all.forEach(u -> counters.add(u.dot().counter()));
      assertEquals(119, all.size());
      assertEquals(119, counters.size(), "a write handed out twice");
      assertTrue(!counters.contains(1L), "sent the write the peer has");
      int descents = 0;
      for (int i = 1; i < all.size(); i++) {
        descents += all.get(i).dot().counter() < all.get(i - 1).dot().counter() ? 1 : 0;
      }
      // in counter order within each chunk of about five: at most one descent per chunk
      assertTrue(descents <= all.size() / 4, () -> "out of order within chunks: " + all);
    }
  }
}
