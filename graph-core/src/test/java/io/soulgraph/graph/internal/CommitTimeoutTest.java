package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend that does not answer (a Cassandra cluster without a quorum, a partition) gives every
 * writer an error within the commit timeout, /health's failure says so, and once the backend
 * answers again puts are acknowledged without a restart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class CommitTimeoutTest {

  private static final Ticker CLOCK = () -> 10_000;
  private static final Duration TIMEOUT = Duration.ofMillis(700);

  private final CountDownLatch backendAnswers = new CountDownLatch(1);
  private final CountDownLatch commitHangs = new CountDownLatch(1);

  private static Graph diff(String soul) {
    return Graph.of(Node.empty(soul).with("title", Value.of("kept"), 1_000));
  }

  /** The graph, each commit blocking until the backend answers. */
  private JanusGraph hangingCommits(JanusGraph real) {
    return (JanusGraph) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {JanusGraph.class}, (proxy, method, args) -> {
          Object result = invoke(real, method, args);
          if (!method.getName().equals("newTransaction")) {
            return result;
          }
          JanusGraphTransaction tx = (JanusGraphTransaction) result;
          return Proxy.newProxyInstance(getClass().getClassLoader(),
              new Class<?>[] {JanusGraphTransaction.class}, (p, m, a) -> {
                if (m.getName().equals("commit") && (a == null || a.length == 0)) {
                  commitHangs.countDown();
                  backendAnswers.await();
                }
                return invoke(tx, m, a);
              });
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Throwable failureWithin(CompletableFuture<PutResult> put, Duration bound) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> put.get(bound.toMillis(), TimeUnit.MILLISECONDS));
    return e.getCause();
  }

  @Test
  void backendHangs_writersGetStoreExceptionWithinTimeout_healthSaysSo_thenRecovers()
      throws Exception {
    try (JanusSoulStore store = JanusSoulStore.open(StoreConfig.inMemory(), CLOCK,
        this::hangingCommits, TIMEOUT)) {
      CompletableFuture<PutResult> inCommit = store.put(diff("in-commit"), null);
      // the writer has taken it into a commit that hangs, so the next put waits in the queue
      assertTrue(commitHangs.await(10, TimeUnit.SECONDS), "the writer never committed");
      CompletableFuture<PutResult> queued = store.put(diff("queued"), null);

      // the commit never returns by itself: without the bound these would wait forever
      Throwable first = failureWithin(inCommit, Duration.ofSeconds(10));
      assertInstanceOf(StoreException.class, first);
      assertTrue(first.getMessage().contains("within 700 ms"), first.getMessage());
      assertTrue(first.getMessage().contains("send it again"), first.getMessage());
      assertInstanceOf(StoreException.class, failureWithin(queued, Duration.ofSeconds(10)));
      String health = store.failure().orElseThrow();
      assertTrue(health.contains("commit timeout"), health);

      backendAnswers.countDown(); // the hanging commit lands; the queued put was dropped
      store.put(diff("after"), null).get(10, TimeUnit.SECONDS);
      assertEquals(Value.of("kept"), store.field("after", "title").orElseThrow().value());
      assertEquals(Optional.empty(), store.field("queued", "title"),
          "a put failed while queued is never applied");
      assertEquals(Optional.empty(), store.failure());
    }
  }

  @Test
  void commitTimeout_defaults_cqlTwentySecondsLocalSixty() {
    StoreConfig.Cql cql = StoreConfig.Cql.of(java.util.List.of("127.0.0.1"));
    assertEquals(Duration.ofSeconds(20), cql.commitTimeout());
    assertEquals(Duration.ofSeconds(60), StoreConfig.inMemory().commitTimeout());
    assertThrows(IllegalArgumentException.class, () -> cql.withCommitTimeout(Duration.ZERO));
  }

  @Test
  void lockWait_defaultsToJanusGraphs100Ms_mustBePositive_keptByOtherWithers() {
    StoreConfig.Cql cql = StoreConfig.Cql.of(java.util.List.of("127.0.0.1"));
    assertEquals(Duration.ofMillis(100), cql.lockWait());
    StoreConfig.Cql shorter = cql.withLockWait(Duration.ofMillis(30));
    assertEquals(Duration.ofMillis(30), shorter.withKeyspace("other").lockWait());
    assertEquals(Duration.ofMillis(30),
        shorter.withCommitTimeout(Duration.ofSeconds(5)).lockWait());
    assertThrows(IllegalArgumentException.class, () -> cql.withLockWait(Duration.ZERO));
  }
}
