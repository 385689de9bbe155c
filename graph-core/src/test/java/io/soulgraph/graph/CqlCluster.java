package io.soulgraph.graph;

import static org.junit.jupiter.api.Assertions.fail;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Cassandra the cql tests run against: {@code mvn verify} starts one with
 * tools/cassandra/cassandra-cluster before the integration tests and passes its address as
 * {@code -Dsoulgraph.cql.hosts} and {@code -Dsoulgraph.cql.port}. Keyspaces are made once and
 * truncated between tests: making one costs 10-30 s, truncating well under one.
 */
final class CqlCluster {

  static final List<String> HOSTS = Arrays.stream(
      System.getProperty("soulgraph.cql.hosts", "").split(",")).filter(h -> !h.isBlank()).toList();
  static final int PORT = Integer.getInteger("soulgraph.cql.port", 9042);

  /**
   * The keyspaces every cql test shares, made once ({@link #createKeyspaces}) and truncated
   * before each use: creating one costs 20-60 s on a loaded machine. A test opens at most two
   * stores at once, so {@link #CONCURRENT_TESTS} tests at a time need twice as many keyspaces.
   */
  static final int CONCURRENT_TESTS = 2;
  static final List<String> KEYSPACES = java.util.stream.IntStream
      .rangeClosed(1, 2 * CONCURRENT_TESTS).mapToObj(i -> "soulgraph_it_" + i).toList();
  /** The keyspace of CqlSharedStoreIT, which runs beside CqlSoulStoreIT. */
  static final String SHARED_KEYSPACE = "soulgraph_it_shared";

  private CqlCluster() {}

  /**
   * Creates (or opens) all {@link #KEYSPACES} at once: the tables of a new keyspace are made one
   * at a time with a pause after each (docs/scale-out.md), so several in parallel take about the
   * time of one.
   */
  static void createKeyspaces(Path tmp) throws Exception {
    List<CompletableFuture<Void>> opens = new ArrayList<>();
    for (String keyspace : KEYSPACES) {
      Path dir = Files.createTempDirectory(tmp, "create");
      opens.add(CompletableFuture.runAsync(() -> {
        SoulStores.open(StoreConfig.cql(dir, settings(keyspace, 1))).close();
      }));
    }
    for (CompletableFuture<Void> open : opens) {
      open.get(5, TimeUnit.MINUTES);
    }
  }

  /** Skips the calling test class when no Cassandra was started, failing instead on CI. */
  static void require() {
    if (HOSTS.isEmpty() || Boolean.getBoolean("soulgraph.cql.skip")) {
      String why = "No Cassandra for the cql tests: mvn verify starts one unless "
          + "-Dskip.cassandra=true or -DskipITs; or point -Dsoulgraph.cql.hosts at one";
      if ("true".equals(System.getenv("CI"))) {
        fail(why + ". CI=true, so the cql tests fail instead of being skipped.");
      }
      Assumptions.abort(why);
    }
    for (String host : HOSTS) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, PORT), 5000);
      } catch (IOException e) {
        fail("Expected Cassandra at " + host + ":" + PORT + " (-Dsoulgraph.cql.hosts) but " + e);
      }
    }
  }

  /**
   * The lock wait of the test stores: the default, or {@code -Dsoulgraph.cql.lockWaitMillis}.
   * Every store of a test runs on this machine (one clock), so a shorter wait would be as safe
   * (docs/data-model.md), but 30 ms made this suite no faster than 100 ms (107 vs 110 s, one run
   * each at load 19-21): its time goes to round trips and store opens, not to the wait.
   */
  static final Duration LOOPBACK_LOCK_WAIT = Duration.ofMillis(
      Long.getLong("soulgraph.cql.lockWaitMillis",
          StoreConfig.Cql.DEFAULT_LOCK_WAIT.toMillis()));

  /** Default cql settings for {@code keyspace} on the test cluster, but the lock wait. */
  static StoreConfig.Cql settings(String keyspace, int replicationFactor) {
    StoreConfig.Cql d = StoreConfig.Cql.of(HOSTS);
    return new StoreConfig.Cql(HOSTS, PORT, keyspace, d.localDatacenter(), replicationFactor,
        d.readConsistency(), d.writeConsistency(), Duration.ofSeconds(30),
        // a put declaring many new field names (schema, locked) took over the default 20 s on
        // the loaded 2-core build machine
        Duration.ofSeconds(60), LOOPBACK_LOCK_WAIT);
  }

  /**
   * Empties every table of {@code keyspace} if it exists (schema and ids included). A TRUNCATE
   * costs about a second on a busy machine, so only tables holding rows are truncated, all at once.
   */
  static void truncate(String keyspace) {
    try (CqlSession session = session()) {
      List<CompletionStage<AsyncResultSet>> truncates = new ArrayList<>();
      for (Row row : session.execute(
          "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)) {
        String table = keyspace + "." + row.getString("table_name");
        if (session.execute("SELECT * FROM " + table + " LIMIT 1").one() != null) {
          truncates.add(session.executeAsync("TRUNCATE " + table));
        }
      }
      truncates.forEach(t -> t.toCompletableFuture().join());
    }
  }

  /** A driver session on the test cluster, for checks below the soul store. */
  static CqlSession session() {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
        .build();
    return CqlSession.builder()
        .addContactPoints(HOSTS.stream().map(h -> new InetSocketAddress(h, PORT)).toList())
        .withLocalDatacenter(StoreConfig.Cql.DEFAULT_DATACENTER)
        .withConfigLoader(config)
        .build();
  }
}
