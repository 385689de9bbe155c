package io.soulgraph.graph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The conformance suite on JanusGraph-CQL against a real Cassandra ({@link CqlCluster}). Its
 * tests spend their time waiting on the cluster (lock waits, round trips, schema), not on the
 * CPU, so {@link CqlCluster#CONCURRENT_TESTS} run at once (the failsafe configuration enables
 * JUnit's parallel mode; the other classes run one after the other, beside this one, on keyspaces
 * of their own). Each running test holds a pair of
 * {@link CqlCluster#KEYSPACES}, made once for the class and emptied before each open; a test
 * opens at most two stores at once.
 */
@Execution(ExecutionMode.CONCURRENT)
class CqlSoulStoreIT extends SoulStoreConformanceTest {

  /** Free pairs of keyspaces: a test takes one for its stores and gives it back when closed. */
  private static final BlockingQueue<List<String>> FREE_PAIRS = new LinkedBlockingQueue<>();

  @TempDir Path tmp;
  private List<String> pair;
  private int opened;

  @BeforeAll
  static void requireCassandra(@TempDir Path dir) throws Exception {
    CqlCluster.require();
    CqlCluster.createKeyspaces(dir);
    FREE_PAIRS.clear();
    for (int i = 0; i < CqlCluster.KEYSPACES.size(); i += 2) {
      FREE_PAIRS.add(CqlCluster.KEYSPACES.subList(i, i + 2));
    }
  }

  /** Overrides the suite's: the pair goes back only once the test's stores are closed. */
  @AfterEach
  @Override
  void closeStore() {
    try {
      super.closeStore();
    } finally {
      if (pair != null) {
        FREE_PAIRS.add(pair);
        pair = null;
      }
      opened = 0;
    }
  }

  @Override
  protected StoreConfig config() throws Exception {
    if (pair == null) {
      pair = FREE_PAIRS.poll(5, TimeUnit.MINUTES);
      if (pair == null) {
        throw new IllegalStateException("Expected a free pair of test keyspaces within 5 min");
      }
    }
    String keyspace = pair.get(opened++);
    CqlCluster.truncate(keyspace);
    return StoreConfig.cql(Files.createTempDirectory(tmp, "cql"),
        CqlCluster.settings(keyspace, 1));
  }
}
