package io.soulgraph.graph;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite on JanusGraph-CQL against a real Cassandra ({@link CqlCluster}). A test
 * opens at most two stores at once; they get {@link CqlCluster#KEYSPACES} 1 and 2, made once
 * for the class and emptied before each open.
 */
class CqlSoulStoreIT extends SoulStoreConformanceTest {

  @TempDir Path tmp;
  private int opened;

  @BeforeAll
  static void requireCassandra(@TempDir Path dir) throws Exception {
    CqlCluster.require();
    CqlCluster.createKeyspaces(dir);
  }

  @AfterEach
  void nextTestStartsAtTheFirstKeyspace() {
    opened = 0;
  }

  @Override
  protected StoreConfig config() throws Exception {
    String keyspace = CqlCluster.KEYSPACES.get(opened++);
    CqlCluster.truncate(keyspace);
    return StoreConfig.cql(Files.createTempDirectory(tmp, "cql"),
        CqlCluster.settings(keyspace, 1));
  }
}
