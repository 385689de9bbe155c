package io.soulgraph.relay.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
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
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.io.binary.TypeSerializerRegistry;
import org.apache.tinkerpop.gremlin.util.ser.GraphBinaryMessageSerializerV1;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphFactory;
import org.janusgraph.graphdb.tinkerpop.JanusGraphIoRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoint over a real JanusGraph, queried with the Java gremlin-driver. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class GremlinEndpointIT {

  private static JanusGraph graph;
  private static GremlinEndpoint endpoint;
  private static Cluster cluster;
  private static Client client;
  private static GraphTraversalSource g;

  @BeforeAll
  static void start() throws Exception {
    graph = JanusGraphFactory.build().set("storage.backend", "inmemory").open();
    Vertex alice = graph.addVertex("node");
    alice.property("soul", "alice");
    alice.property("name", "Alice");
    Vertex bob = graph.addVertex("node");
    bob.property("soul", "bob");
    bob.property("name", "Bob");
    alice.addEdge("friend", bob);
    bob.addEdge("friend", alice);
    graph.tx().commit();

    endpoint = GremlinEndpoint.start(
        graph, new GremlinConfig(true, "127.0.0.1", freePort(), Duration.ofSeconds(3)));
    GraphBinaryMessageSerializerV1 serializer = new GraphBinaryMessageSerializerV1(
        TypeSerializerRegistry.build().addRegistry(JanusGraphIoRegistry.instance()).create());
    cluster = Cluster.build("127.0.0.1").port(endpoint.port()).serializer(serializer).create();
    client = cluster.connect();
    g = AnonymousTraversalSource.traversal().withRemote(DriverRemoteConnection.using(cluster, "g"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (g != null) {
      g.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (graph != null) {
      graph.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static long vertexCount() {
    return graph.traversal().V().count().next();
  }

  @Test
  void bytecode_followsLinksByFieldName() {
    assertEquals(List.of("Bob"),
        g.V().has("soul", "alice").out("friend").values("name").toList());
    Edge edge = g.V().has("soul", "alice").outE("friend").next();
    assertEquals("friend", edge.label());
  }

  @Test
  void script_groovyAndGremlinLang_bothAnswer() throws Exception {
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
  void script_mutationThroughGraphApi_isRolledBackWithAnError() {
    long before = vertexCount();
    Exception e = assertThrows(Exception.class,
        () -> client.submit("g.getGraph().addVertex('node')").all().get(30, TimeUnit.SECONDS));
    assertTrue(messageChain(e).contains("read-only"), messageChain(e));
    assertEquals(before, vertexCount());
  }

  @Test
  void script_dropThroughTraversal_isRefused() {
    assertThrows(Exception.class,
        () -> client.submit("g.V().drop()").all().get(30, TimeUnit.SECONDS));
    assertEquals(2, vertexCount());
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
