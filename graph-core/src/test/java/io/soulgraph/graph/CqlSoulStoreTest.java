package io.soulgraph.graph;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite on JanusGraph-CQL, when a Cassandra/ScyllaDB is reachable at
 * {@code -Dsoulgraph.cql.host} (default 127.0.0.1) and {@code -Dsoulgraph.cql.port} (default 9042).
 * Each store gets a fresh keyspace. Skipped, saying so, when nothing answers there.
 */
class CqlSoulStoreTest extends SoulStoreConformanceTest {

  static final String HOST = System.getProperty("soulgraph.cql.host", "127.0.0.1");
  static final int PORT = Integer.getInteger("soulgraph.cql.port", 9042);

  @TempDir Path tmp;

  @BeforeAll
  static void requireCassandra() {
    Assumptions.assumeTrue(reachable(), "No Cassandra/ScyllaDB reachable at " + HOST + ":" + PORT
        + " (set -Dsoulgraph.cql.host and -Dsoulgraph.cql.port): CQL conformance suite skipped");
  }

  private static boolean reachable() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  protected StoreConfig config() throws Exception {
    String keyspace = "soulgraph_test_" + UUID.randomUUID().toString().replace("-", "");
    StoreConfig.Cql cql = new StoreConfig.Cql(List.of(HOST), PORT, keyspace);
    return new StoreConfig(StoreConfig.Backend.CQL, Files.createTempDirectory(tmp, "cql"), cql,
        1_000_000, 1024, Duration.ofMillis(2), 0, 100_000, 4096);
  }
}
