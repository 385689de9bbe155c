package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class SoulFilterTest {

  private static final long NOW = 1_795_287_911_420L;
  private static final Ticker CLOCK = () -> NOW + 10_000;

  @Test
  void filter_addedSoulsAreNeverAbsent_othersMostlyAre() {
    SoulFilter filter = new SoulFilter();
    assertTrue(filter.surelyAbsent("alice"), "an empty filter knows no soul");
    filter.add("alice");
    for (int i = 0; i < 100_000; i++) {
      filter.add("soul" + i);
    }
    for (int i = 0; i < 100_000; i++) {
      assertFalse(filter.surelyAbsent("soul" + i));
    }
    assertFalse(filter.surelyAbsent("alice"));
    int maybe = 0;
    for (int i = 0; i < 100_000; i++) {
      maybe += filter.surelyAbsent("other" + i) ? 0 : 1;
    }
    assertTrue(maybe < 100, "false positives among 100k unknown souls: " + maybe);
  }

  @Test
  void freshStore_filterKnowsEverySoulItCreates_reopenedStoreLooksSoulsUp(@TempDir Path dir)
      throws Exception {
    StoreConfig config = StoreConfig.berkeleyJe(dir);
    try (JanusSoulStore store = JanusSoulStore.open(config, CLOCK)) {
      assertTrue(store.souls() != null, "an empty store knows all its souls");
      for (int i = 0; i < 300; i++) {
        store.put(Graph.of(Node.empty("s" + i).with("n", Value.of(i), NOW)
            .with("next", Value.link("bare" + i), NOW)), null).get(30, TimeUnit.SECONDS);
      }
      assertSoulsAndLinkTargets(store);
    }
    try (JanusSoulStore store = JanusSoulStore.open(config, CLOCK)) {
      assertEquals(null, store.souls(), "souls on disk are not in a filter: looked up");
      assertSoulsAndLinkTargets(store);
    }
  }

  private static void assertSoulsAndLinkTargets(JanusSoulStore store) throws Exception {
    for (int i = 0; i < 300; i++) {
      assertEquals(Optional.of(new io.soulgraph.ham.FieldState(Value.of(i), NOW)),
          store.field("s" + i, "n"), "s" + i);
    }
    assertEquals(Optional.empty(), store.node("never-written"));
    // a bare link target has a vertex: writing it must reuse it, not add a second one
    String target = "bare" + (store.node("bare7").isPresent() ? 8 : 7);
    store.put(Graph.of(Node.empty(target).with("name", Value.of("Seven"), NOW)), null)
        .get(30, TimeUnit.SECONDS);
    assertEquals(1L, (long) store.readOnlyTraversal().V().has("soul", target).count().next());
    assertEquals(java.util.List.of("Seven"), store.readOnlyTraversal().V()
        .has("soul", "s" + target.substring(4)).out("next").values("name").toList());
    store.readOnlyTraversal().getGraph().tx().rollback();
    store.put(Graph.of(Node.empty("late").with("n", Value.of(1), NOW)), null)
        .get(30, TimeUnit.SECONDS);
    assertTrue(store.node("late").isPresent());
  }
}
