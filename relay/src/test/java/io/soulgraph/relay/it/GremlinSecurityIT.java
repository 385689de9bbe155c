package io.soulgraph.relay.it;

import static io.soulgraph.relay.gremlin.GremlinDriver.freePort;
import static io.soulgraph.relay.gremlin.GremlinDriver.serializer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gremlin.GremlinConfig;
import io.soulgraph.relay.gremlin.GremlinDriver;
import io.soulgraph.relay.gremlin.NpmGremlinClient;
import io.soulgraph.relay.gremlin.RawGremlinSocket;
import io.soulgraph.relay.gun.GunFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.tinkerpop.gremlin.driver.Client;
import org.apache.tinkerpop.gremlin.driver.Cluster;
import org.apache.tinkerpop.gremlin.driver.RequestOptions;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.util.function.Lambda;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue 17 against a relay with default Gremlin options: code in scripts and
 * lambdas, writes through the graph API, transactions and the management API, files through
 * io(), and a web page at another origin. Each is refused, changes nothing, and the relay keeps
 * answering /health and /gun.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
final class GremlinSecurityIT {

  private static final double STATE = 1_700_000_000_000.0;
  private static int pagePort;
  private static String allowedOrigin;
  private static String evilOrigin;

  @TempDir static Path tmp;
  private static Relay relay;
  private static GremlinDriver driver;
  private static Cluster cluster;
  private static Client client;
  private static GraphTraversalSource g;
  private static WireClient gun;

  @BeforeAll
  static void start() throws Exception {
    pagePort = freePort();
    allowedOrigin = "http://tools.example:" + pagePort;
    evilOrigin = "http://evil.example:" + pagePort;
    GremlinConfig gremlin = new GremlinConfig(true, "127.0.0.1", freePort(), Duration.ofSeconds(30))
        .withAllowedOrigins(List.of(allowedOrigin));
    relay = Relay.start(RelayConfig.ephemeral().withGremlin(gremlin));
    gun = new WireClient(relay.gunUrl());
    gun.send(GunFrames.put("p1", "sec/alice", STATE, Map.of("name", "\"Alice\"")));
    assertFalse(gun.replyTo("p1").has("err"));
    driver = GremlinDriver.connect(gremlin.port());
    cluster = driver.cluster();
    client = driver.client();
    g = driver.g();
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.close();
    }
    if (gun != null) {
      gun.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  private static String refusalOf(String script) {
    Exception e = assertThrows(Exception.class,
        () -> client.submit(script).all().get(30, TimeUnit.SECONDS), script);
    return messageChain(e);
  }

  private static void assertRelayServes() throws Exception {
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), health.body());
    String id = "get" + System.nanoTime();
    gun.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"sec/alice\",\".\":\"name\"}}");
    assertEquals("\"Alice\"", gun.replyTo(id).at("/put/sec~1alice/name").toString());
    assertEquals(List.of("Alice"), g.V().has("soul", "sec/alice").values("name").toList());
    assertEquals(List.of("sec/alice"), g.V().values("soul").toList(), "no vertex was added");
  }

  @Test
  void groovyCode_fileWriteReadExecAndExit_isRefusedAndTheRelayStaysUp() throws Exception {
    Path planted = tmp.resolve("planted.txt");
    String path = planted.toString().replace("\\", "/");
    List<String> attacks = List.of(
        "new File('" + path + "').text = 'pwned'",
        "new File('/etc/hostname').text",
        "'id'.execute().text",
        "['sh','-c','touch " + path + "'].execute().waitFor()",
        "System.exit(0)",
        "Runtime.getRuntime().halt(0)");
    for (String attack : attacks) {
      String refusal = refusalOf(attack);
      assertTrue(refusal.contains("Not a Gremlin traversal"), attack + " -> " + refusal);
    }
    // the driver's language by default, named explicitly, and any other script language
    Exception named = assertThrows(Exception.class, () -> client.submit("'id'.execute().text",
        RequestOptions.build().language("gremlin-groovy").create()).all().get(30, TimeUnit.SECONDS));
    assertTrue(messageChain(named).contains("Not a Gremlin traversal"), messageChain(named));
    Exception other = assertThrows(Exception.class, () -> client.submit("1+1",
        RequestOptions.build().language("gremlin-jython").create()).all().get(30, TimeUnit.SECONDS));
    assertTrue(messageChain(other).contains("are code"), messageChain(other));
    assertFalse(Files.exists(planted), "a script wrote a file");
    assertRelayServes();
  }

  @Test
  void writesThroughGraphApiTxAndManagement_areRefused() throws Exception {
    for (String attack : List.of(
        "graph.addVertex('node')",
        "g.getGraph().addVertex(label, 'node', 'soul', 'sec/mallory')",
        "g.getGraph().openManagement().makePropertyKey('evil').make()",
        "graph.tx().commit()",
        "g.addV('node').property('soul', 'sec/mallory')",
        "g.V().has('soul', 'sec/alice').property('name', 'Mallory')",
        "g.V().drop()")) {
      String refusal = refusalOf(attack);
      assertFalse(refusal.isBlank(), attack);
    }
    assertTrue(refusalOf("g.tx().commit()").contains("tx() is not offered"));
    assertTrue(refusalOf("g.V().drop()").contains("read only"));
    assertThrows(Exception.class, () -> g.addV("node").property("soul", "sec/mallory").iterate());
    assertThrows(Exception.class,
        () -> g.V().has("soul", "sec/alice").property("name", "Mallory").iterate());
    GraphTraversalSource gtx = g.tx().begin();
    Exception tx = assertThrows(Exception.class, () -> {
      gtx.addV("node").property("soul", "sec/mallory").iterate();
      gtx.tx().commit();
    });
    assertFalse(messageChain(tx).isBlank());
    assertRelayServes();
  }

  @Test
  void lambdasInBytecode_areRefused() throws Exception {
    Exception e = assertThrows(Exception.class, () -> g.V()
        .map(Lambda.function("it.get().graph().addVertex('node'); 'id'.execute().text")).toList());
    assertTrue(messageChain(e).contains("Lambdas are code"), messageChain(e));
    Exception nested = assertThrows(Exception.class, () -> g.V().where(
        org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__.filter(
            Lambda.predicate("System.exit(0)"))).toList());
    assertTrue(messageChain(nested).contains("Lambdas are code"), messageChain(nested));
    assertRelayServes();
  }

  @Test
  void ioStep_writesNoFileAndReadsNone() throws Exception {
    Path dump = tmp.resolve("dump.graphml");
    Exception write = assertThrows(Exception.class, () -> g.io(dump.toString()).write().iterate());
    assertTrue(messageChain(write).contains("io()"), messageChain(write));
    assertFalse(Files.exists(dump));
    assertThrows(Exception.class, () -> g.io("/etc/hostname").read().iterate());
    assertTrue(refusalOf("g.io('" + dump + "').write()").contains("io()"));
    assertFalse(Files.exists(dump));
    assertRelayServes();
  }

  @Test
  void sessions_areRefused() throws Exception {
    Client session = cluster.connect("attacker-session");
    try {
      Exception e = assertThrows(Exception.class,
          () -> session.submit("g.V().count()").all().get(30, TimeUnit.SECONDS));
      assertTrue(messageChain(e).contains("Sessions are not offered"), messageChain(e));
    } finally {
      session.close();
    }
  }

  @Test
  void originHeader_ofAPageNotAllowed_isRefusedAtTheHandshake() throws Exception {
    String url = relay.gremlinUrl().toString();
    Exception refused = assertThrows(Exception.class, () -> RawGremlinSocket.open(url, evilOrigin));
    assertTrue(messageChain(refused).contains("403") || messageChain(refused).contains("nvalid"),
        messageChain(refused));
    try (RawGremlinSocket allowed = RawGremlinSocket.open(url, allowedOrigin)) {
      assertEquals(200, allowed.script("g.V().count()", "gremlin-lang").at("/status/code").asInt());
    }
    try (RawGremlinSocket noOrigin = RawGremlinSocket.open(url, null)) {
      assertEquals(200, noOrigin.script("g.V().count()", null).at("/status/code").asInt());
    }
  }

  @Test
  void chromiumPageAtAnotherOrigin_cannotOpenTheSocket_anAllowedOneCan() throws Exception {
    JsonNode out = NpmGremlinClient.crossOrigin(relay.gremlinUrl().toString(), pagePort,
        evilOrigin, allowedOrigin);
    JsonNode evil = out.get(evilOrigin);
    assertFalse(evil.get("opened").asBoolean(), out.toString());
    assertTrue(evil.path("reply").isMissingNode(), out.toString());
    JsonNode allowed = out.get(allowedOrigin);
    assertTrue(allowed.get("opened").asBoolean(), out.toString());
    assertTrue(allowed.get("reply").asText().contains("\"code\":200"), out.toString());
    assertRelayServes();
  }

  @Test
  void pythonStyleBytecodeClient_readsWithGraphSon() throws Exception {
    try (RawGremlinSocket socket = RawGremlinSocket.open(relay.gremlinUrl().toString(), null)) {
      JsonNode reply = socket.bytecode("[[\"V\"],[\"has\",\"soul\",\"sec/alice\"],[\"values\",\"name\"]]");
      assertEquals(200, reply.at("/status/code").asInt(), reply.toString());
      assertEquals("Alice", reply.at("/result/data/@value/0/@value/value").asText(),
          reply.toString());
      JsonNode write = socket.bytecode("[[\"addV\",\"node\"]]");
      assertTrue(write.at("/status/code").asInt() >= 400, write.toString());
      JsonNode lambda = socket.bytecode(
          "[[\"V\"],[\"map\",{\"@type\":\"g:Lambda\",\"@value\":{\"script\":\"'id'.execute().text\","
              + "\"language\":\"gremlin-groovy\",\"arguments\":1}}]]");
      assertEquals(403, lambda.at("/status/code").asInt(), lambda.toString());
    }
    assertRelayServes();
  }

  @Test
  void credentials_requiredWhenConfigured_andDriversAuthenticate() throws Exception {
    Path users = Files.writeString(tmp.resolve("gremlin-users"), "# operators\nops:s3cret\n");
    GremlinConfig gremlin = new GremlinConfig(true, "127.0.0.1", freePort(), Duration.ofSeconds(30))
        .withCredentials(users);
    try (Relay guarded = Relay.start(RelayConfig.ephemeral().withGremlin(gremlin))) {
      Cluster anonymous = Cluster.build("127.0.0.1").port(gremlin.port())
          .serializer(serializer()).create();
      Cluster wrong = Cluster.build("127.0.0.1").port(gremlin.port()).credentials("ops", "nope")
          .serializer(serializer()).create();
      Cluster right = Cluster.build("127.0.0.1").port(gremlin.port()).credentials("ops", "s3cret")
          .serializer(serializer()).create();
      try {
        assertThrows(Exception.class,
            () -> anonymous.connect().submit("g.V().count()").all().get(30, TimeUnit.SECONDS));
        assertThrows(Exception.class,
            () -> wrong.connect().submit("g.V().count()").all().get(30, TimeUnit.SECONDS));
        assertEquals(0L, right.connect().submit("g.V().count()").one().getLong());
      } finally {
        anonymous.close();
        wrong.close();
        right.close();
      }
    }
  }

  @Test
  void beyondLoopbackWithoutCredentials_refusesToStart() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GremlinConfig(true, "0.0.0.0", 8182, Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains("--gremlin-credentials"), e.getMessage());
  }

  static String messageChain(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable c = t; c != null && out.length() < 4000; c = c.getCause()) {
      out.append(c.getMessage()).append(" | ");
      if (c.getCause() == c) {
        break;
      }
    }
    return out.toString();
  }
}
