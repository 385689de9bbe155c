package io.soulgraph.relay.gremlin;

import static io.soulgraph.relay.gremlin.GremlinDriver.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.tinkerpop.gremlin.driver.Client;
import org.apache.tinkerpop.gremlin.driver.Cluster;
import org.apache.tinkerpop.gremlin.driver.Result;
import org.apache.tinkerpop.gremlin.driver.remote.DriverRemoteConnection;
import org.apache.tinkerpop.gremlin.process.traversal.AnonymousTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.verification.ReadOnlyStrategy;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoint over a real store (JanusGraph inmemory), queried with the Java gremlin-driver. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class GremlinEndpointIT {

  private static final double STATE = 1_700_000_000_000.0;
  private static SoulStore store;
  private static GremlinEndpoint endpoint;
  private static GremlinDriver driver;
  private static Cluster cluster;
  private static Client client;
  private static GraphTraversalSource g;

  @BeforeAll
  static void start() throws Exception {
    store = SoulStores.open(StoreConfig.inMemory());
    store.put(io.soulgraph.ham.Graph.of(
        Node.empty("alice").with("name", Value.of("Alice"), STATE)
            .with("friend", Value.link("bob"), STATE),
        Node.empty("bob").with("name", Value.of("Bob"), STATE)
            .with("friend", Value.link("alice"), STATE)), "test").get(30, TimeUnit.SECONDS);

    endpoint = GremlinEndpoint.start(store.readOnlyTraversal(), store.readOnlyInternals(),
        new GremlinConfig(true, "127.0.0.1", freePort(), Duration.ofSeconds(3)));
    driver = GremlinDriver.connect(endpoint.port());
    cluster = driver.cluster();
    client = driver.client();
    g = driver.g();
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Every vertex the backend holds, the store's own included. */
  private static long vertexCount() {
    GraphTraversalSource internals = store.readOnlyInternals();
    try {
      return internals.V().count().next();
    } finally {
      internals.getGraph().tx().rollback();
    }
  }

  @Test
  void bytecode_followsLinksByFieldName() {
    assertEquals(List.of("Bob"),
        g.V().has("soul", "alice").out("friend").values("name").toList());
    Edge edge = g.V().has("soul", "alice").outE("friend").next();
    assertEquals("friend", edge.label());
  }

  @Test
  void script_defaultLanguageAndGremlinLang_bothAnswerWithoutGroovy() throws Exception {
    assertEquals("Alice", client.submit("g.V().has('soul','alice').values('name')").one().getString());
    Result count = client.submit("g.V().count()",
        org.apache.tinkerpop.gremlin.driver.RequestOptions.build().language("gremlin-lang").create())
        .one();
    assertEquals(2, count.getLong());
  }

  @Test
  void bytecode_mutation_isRefusedAndChangesNothing() {
    long before = vertexCount();
    Exception e = assertThrows(Exception.class, () -> g.addV("node").property("soul", "eve").iterate());
    assertTrue(messageChain(e).contains("read only"), messageChain(e));
    assertEquals(before, vertexCount());
  }

  @Test
  void bytecode_removingReadOnlyStrategy_isRefused() {
    long before = vertexCount();
    Exception e = assertThrows(Exception.class,
        () -> g.withoutStrategies(ReadOnlyStrategy.class).addV("node").iterate());
    assertTrue(messageChain(e).contains("read only"), messageChain(e));
    assertEquals(before, vertexCount());
  }

  @Test
  void script_mutationThroughGraphApi_isRefusedAsNotGremlin() {
    long before = vertexCount();
    Exception e = assertThrows(Exception.class,
        () -> client.submit("g.getGraph().addVertex('node')").all().get(30, TimeUnit.SECONDS));
    assertTrue(messageChain(e).contains("Not a Gremlin traversal"), messageChain(e));
    assertEquals(before, vertexCount());
  }

  @Test
  void script_dropThroughTraversal_isRefused() {
    assertThrows(Exception.class,
        () -> client.submit("g.V().drop()").all().get(30, TimeUnit.SECONDS));
    assertEquals(2L, g.V().count().next());
  }

  @Test
  void script_badGremlin_getsAnErrorNotAHang() {
    Exception e = assertThrows(ExecutionException.class,
        () -> client.submit("g.V(.has(").all().get(30, TimeUnit.SECONDS));
    assertTrue(messageChain(e).length() > 0);
  }

  @Test
  void bytecode_endlessTraversal_isCutByTheEvaluationTimeout() {
    // alice and bob are friends both ways: this walks the cycle forever
    Exception e = assertThrows(Exception.class, () -> g.V().has("soul", "alice")
        .repeat(__.out("friend")).until(__.has("soul", "nobody")).count().next());
    assertTrue(messageChain(e).toLowerCase().contains("timeout"), messageChain(e));
    assertEquals(List.of("Alice"), g.V().has("soul", "alice").values("name").toList());
  }

  @Test
  void npmGremlinClient_readsFollowsLinksAndIsRefusedWrites() throws Exception {
    JsonNode out = NpmGremlinClient.query(endpoint.url(), "alice", "friend");
    assertEquals("[\"Alice\"]", out.at("/name/ok").toString(), out.toString());
    assertEquals("[\"bob\"]", out.at("/linked/ok").toString(), out.toString());
    assertEquals(2, out.at("/count/ok").asInt(), out.toString());
    assertEquals("[\"name\",\"soul\"]", out.at("/keys/ok").toString(), out.toString());
    assertEquals("friend", out.at("/edgeLabel/ok").asText(), out.toString());
    assertEquals("[\"alice\"]", out.at("/script/ok").toString(), out.toString());
    assertTrue(out.at("/mutation/error").asText().contains("read only"), out.toString());
    assertEquals(0, out.at("/intruders/ok").asInt(), out.toString());
  }

  @Test
  void npmGremlinClient_newcomerQueries_showTheUsersGraphOnly() throws Exception {
    JsonNode out = NpmGremlinClient.query(endpoint.url(), "alice", "friend");
    assertEquals("[\"T.id\",\"T.label\",\"name\",\"soul\"]", out.at("/valueMapTrue/ok").toString(),
        "no %h: entries beside the fields: " + out);
    assertEquals(2, out.at("/countAll/ok").asInt(), "two souls, no %meta vertex: " + out);
    assertEquals("[\"node\"]", out.at("/labels/ok").toString(), out.toString());
    assertEquals("[\"friend\"]", out.at("/edgeLabels/ok").toString(), out.toString());
    assertEquals("[]", out.at("/noSuchKey/ok").toString(), out.toString());
    assertEquals("[]", out.at("/hasNoSuchKey/ok").toString(), out.toString());
    assertEquals("[]", out.at("/scriptNoSuchKey/ok").toString(), out.toString());
    assertTrue(out.at("/groovy/error").asText().contains("Not a Gremlin traversal"),
        out.toString());
  }

  @Test
  void internalsSource_showsTheStoresOwnData_readOnly() {
    GraphTraversalSource internals = AnonymousTraversalSource.traversal()
        .withRemote(DriverRemoteConnection.using(cluster, "internals"));
    assertEquals(1L, internals.V().hasLabel("%meta").count().next());
    List<String> stored = internals.V().has("soul", "alice").properties().key().toList();
    assertTrue(stored.stream().anyMatch(key -> key.startsWith("%h:")), "HAM entries: " + stored);
    assertEquals(0L, g.V().hasLabel("%meta").count().next());
    List<String> shown = g.V().has("soul", "alice").properties().key().toList();
    assertEquals(List.of("name", "soul"), shown.stream().sorted().toList());
    assertThrows(Exception.class, () -> internals.V().hasLabel("%meta").drop().iterate());
    assertEquals(1L, internals.V().hasLabel("%meta").count().next());
  }

  @Test
  void unsafeGroovy_runsGroovyOnlyWhenAskedFor_andStillRollsBackGraphWrites() throws Exception {
    GremlinEndpoint groovy = GremlinEndpoint.start(store.readOnlyTraversal(),
        store.readOnlyInternals(),
        new GremlinConfig(true, "127.0.0.1", freePort(), Duration.ofSeconds(5))
            .withUnsafeGroovy(true));
    Cluster groovyCluster = Cluster.build("127.0.0.1").port(groovy.port())
        .serializer(GremlinDriver.serializer()).create();
    try {
      Client groovyClient = groovyCluster.connect();
      assertEquals(List.of(2L, 4L), groovyClient.submit("[1, 2].collect { it * 2 }").all()
          .get(30, TimeUnit.SECONDS).stream().map(Result::getLong).toList());
      long before = vertexCount();
      Exception e = assertThrows(Exception.class, () -> groovyClient
          .submit("g.getGraph().addVertex('node')").all().get(30, TimeUnit.SECONDS));
      assertTrue(messageChain(e).contains("read-only"), messageChain(e));
      assertEquals(before, vertexCount());
    } finally {
      groovyCluster.close();
      groovy.close();
    }
    // and the default endpoint still refuses the same Groovy
    Exception refused = assertThrows(Exception.class, () -> client
        .submit("[1, 2].collect { it * 2 }").all().get(30, TimeUnit.SECONDS));
    assertTrue(messageChain(refused).contains("Not a Gremlin traversal"), messageChain(refused));
  }

  @Test
  void failedRequestsAndFullScans_logNoStackTraceAtInfo() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
        new ch.qos.logback.core.read.ListAppender<>();
    events.start();
    root.addAppender(events);
    try {
      assertThrows(Exception.class, () -> g.addV("node").iterate());
      assertThrows(Exception.class,
          () -> client.submit("g.V(.has(").all().get(30, TimeUnit.SECONDS));
      assertThrows(Exception.class,
          () -> client.submit("g.V().drop()").all().get(30, TimeUnit.SECONDS));
      assertEquals(2L, g.V().count().next()); // a full scan
      assertEquals(List.of(), g.V().values("nosuchkey").toList());
    } finally {
      root.detachAppender(events);
    }
    List<String> loud = events.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
        .filter(e -> e.getThrowableProxy() != null
            || e.getLoggerName().startsWith("org.apache.tinkerpop")
            || e.getLoggerName().startsWith("org.janusgraph"))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
        .toList();
    assertEquals(List.of(), loud);
  }

  private static String messageChain(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.append(c.getMessage()).append(" | ");
      if (c instanceof CompletionException && c.getCause() == c) {
        break;
      }
    }
    return out.toString();
  }
}
