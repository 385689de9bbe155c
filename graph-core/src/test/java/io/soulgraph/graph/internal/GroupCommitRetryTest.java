package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphException;
import org.janusgraph.diskstorage.locking.TemporaryLockingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A group commit that the backend fails temporarily is tried again; other failures are not. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class GroupCommitRetryTest {

  private final AtomicInteger commits = new AtomicInteger();

  private static Graph diff(String soul) {
    return Graph.of(Node.empty(soul).with("title", Value.of("kept"), 1_000));
  }

  /** The graph, with each transaction's commit failing while {@code failure} gives one. */
  private JanusGraph failingCommits(JanusGraph real, Supplier<RuntimeException> failure) {
    return FailingCommits.of(real, failure, commits::incrementAndGet);
  }

  private static RuntimeException lockTookTooLong() {
    return new JanusGraphException("Could not commit transaction due to exception in persistence",
        new TemporaryLockingException("Lock write retry count exceeded"));
  }

  @Test
  void put_temporaryLockFailureOnce_isCommittedOnRetry() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(1);
    Ticker clock = () -> 10_000;
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), clock,
        real -> failingCommits(real,
            () -> failuresLeft.getAndDecrement() > 0 ? lockTookTooLong() : null))) {
      store.put(diff("retried"), null).get(30, TimeUnit.SECONDS);
      assertEquals(Value.of("kept"), store.field("retried", "title").orElseThrow().value());
      assertEquals(2, commits.get());
    }
  }

  @Test
  void put_temporaryFailureThatPersists_failsAfterBoundedTries() {
    Ticker clock = () -> 10_000;
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), clock,
        real -> failingCommits(real, GroupCommitRetryTest::lockTookTooLong))) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> store.put(diff("never"), null).get(30, TimeUnit.SECONDS));
      assertInstanceOf(StoreException.class, e.getCause());
      assertEquals(5, commits.get());
      assertTrue(store.field("never", "title").isEmpty());
    }
  }

  @Test
  void put_permanentFailure_isNotRetried() {
    Ticker clock = () -> 10_000;
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), clock,
        real -> failingCommits(real, () -> new IllegalStateException("disk on fire")))) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> store.put(diff("broken"), null).get(30, TimeUnit.SECONDS));
      assertInstanceOf(StoreException.class, e.getCause());
      assertEquals(1, commits.get());
    }
  }
}
