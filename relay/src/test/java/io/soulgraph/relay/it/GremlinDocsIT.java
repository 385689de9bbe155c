package io.soulgraph.relay.it;

import static io.soulgraph.relay.gremlin.GremlinDriver.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gremlin.GremlinConfig;
import io.soulgraph.relay.gremlin.GremlinDriver;
import io.soulgraph.relay.gremlin.NpmGremlinClient;
import io.soulgraph.relay.gremlin.RawGremlinSocket;
import io.soulgraph.relay.gun.GunFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.tinkerpop.gremlin.driver.Client;
import org.apache.tinkerpop.gremlin.driver.Result;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The queries of docs/gremlin.md's Examples, run as users will: scripts from the Java driver, the
 * npm client and a plain GraphSON WebSocket client, and the same traversals as Java bytecode.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class GremlinDocsIT {

  private static final double STATE = 1_700_000_000_000.0;
  private static Relay relay;
  private static GremlinDriver driver;
  private static Client client;
  private static GraphTraversalSource g;

  @BeforeAll
  static void start() throws Exception {
    GremlinConfig gremlin = new GremlinConfig(true, "127.0.0.1", freePort(), Duration.ofSeconds(30));
    relay = Relay.start(RelayConfig.ephemeral().withGremlin(gremlin));
    try (WireClient gun = new WireClient(relay.gunUrl())) {
      put(gun, "alice", Map.of("name", "\"Alice\"", "age", "30", "friend", "{\"#\":\"bob\"}"));
      put(gun, "bob", Map.of("name", "\"Bob\"", "friend", "{\"#\":\"carol\"}"));
      put(gun, "carol", Map.of("name", "\"Carol\""));
      put(gun, "todos", Map.of("todo/1", "{\"#\":\"todo/1\"}", "todo/2", "{\"#\":\"todo/2\"}"));
      put(gun, "todo/1", Map.of("title", "\"milk\"", "done", "false"));
      put(gun, "todo/2", Map.of("title", "\"eggs\"", "done", "true"));
    }
    driver = GremlinDriver.connect(gremlin.port());
    client = driver.client();
    g = driver.g();
  }

  private static void put(WireClient gun, String soul, Map<String, String> fields)
      throws Exception {
    String id = "put-" + soul;
    gun.send(GunFrames.put(id, soul, STATE, fields));
    assertFalse(gun.replyTo(id).has("err"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  /** The lines of the Examples block of docs/gremlin.md, comments stripped. */
  private static List<String> documentedExamples() throws IOException {
    String doc = Files.readString(Path.of("../docs/gremlin.md"));
    String section = doc.substring(doc.indexOf("## Examples"));
    String block = section.substring(section.indexOf("```groovy") + 9);
    block = block.substring(0, block.indexOf("```"));
    List<String> examples = new ArrayList<>();
    for (String line : block.strip().split("\n")) {
      int comment = line.indexOf("//");
      examples.add((comment < 0 ? line : line.substring(0, comment)).strip());
    }
    return examples;
  }

  /** What each example returns, computed with Java bytecode. */
  private static List<Object> bytecodeAnswers() {
    return List.of(
        g.V().has("soul", "alice").values("name").toList(),
        g.V().has("soul", "alice").out("friend").values("name").toList(),
        g.V().has("soul", "alice").valueMap("name", "age").toList(),
        g.V().count().toList(),
        g.V().label().dedup().toList(),
        g.E().label().dedup().toList(),
        g.V().has("soul", "todos").out().has("done", false).values("title").toList(),
        g.V().has("soul", "alice").repeat(__.out("friend")).times(2).dedup().values("name")
            .toList());
  }

  @Test
  void examples_asBytecode_giveWhatTheDocsSay() {
    List<Object> answers = bytecodeAnswers();
    assertEquals(List.of("Alice"), answers.get(0));
    assertEquals(List.of("Bob"), answers.get(1));
    assertEquals(List.of(6L), answers.get(3), "six souls, nothing else");
    assertEquals(List.of("node"), answers.get(4));
    assertEquals(List.of("friend", "todo/1", "todo/2"),
        ((List<?>) answers.get(5)).stream().map(String::valueOf).sorted().toList());
    assertEquals(List.of("milk"), answers.get(6));
    assertEquals(List.of("Carol"), answers.get(7));
  }

  @Test
  void examples_asScriptsFromTheJavaDriver_answerAsBytecodeDoes() throws Exception {
    List<String> examples = documentedExamples();
    List<Object> answers = bytecodeAnswers();
    assertEquals(answers.size(), examples.size(), "one bytecode answer per documented example");
    for (int i = 0; i < examples.size(); i++) {
      List<Object> results = client.submit(examples.get(i)).all().get(30, TimeUnit.SECONDS)
          .stream().map(Result::getObject).toList();
      assertEquals(answers.get(i), results, examples.get(i));
    }
  }

  @Test
  void examples_fromTheNpmClientAndAPlainGraphSonSocket_allAnswer() throws Exception {
    List<String> examples = documentedExamples();
    JsonNode npm = NpmGremlinClient.scripts(relay.gremlinUrl().toString(), examples);
    for (int i = 0; i < examples.size(); i++) {
      assertTrue(npm.get(i).has("ok"), examples.get(i) + " -> " + npm.get(i));
    }
    assertEquals("[\"Alice\"]", npm.get(0).get("ok").toString());
    assertEquals("[\"milk\"]", npm.get(6).get("ok").toString());
    try (RawGremlinSocket socket = RawGremlinSocket.open(relay.gremlinUrl().toString(), null)) {
      for (String example : examples) {
        JsonNode reply = socket.script(example, null);
        assertEquals(200, reply.at("/status/code").asInt(), example + " -> " + reply);
      }
      JsonNode fof = socket.bytecode("[[\"V\"],[\"has\",\"soul\",\"alice\"],[\"repeat\","
          + "{\"@type\":\"g:Bytecode\",\"@value\":{\"step\":[[\"out\",\"friend\"]]}}],"
          + "[\"times\",2],[\"dedup\"],[\"values\",\"name\"]]");
      assertEquals("Carol", fof.at("/result/data/@value/0/@value/value").asText(), fof.toString());
    }
  }

  @Test
  void gremlinKeyHelperInTheDocs_escapesAsTheStoreDoes() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("relay.skipNode"));
    String doc = Files.readString(Path.of("../docs/gremlin.md"));
    String block = doc.substring(doc.indexOf("```js", doc.indexOf("function gremlinKey") - 400));
    block = block.substring(5, block.indexOf("```", 5));
    String helper = block.substring(block.indexOf("const RESERVED"), block.indexOf("g.V()"));
    List<String> fields = List.of("name", "soul", "Label", "%", "50%", "{brace}", "say \"hi\"",
        "~tilde", "a~b", " ", "\t", "\u3000x", "a.b/c", "\u001esep", "%!soul", "ünïcødé ☃");
    String program = helper + "\nconst fields = JSON.parse(process.argv[1]);\n"
        + "console.log(JSON.stringify(fields.map(gremlinKey)));\n";
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fields);
    Process node = new ProcessBuilder("node", "--input-type=module", "-e", program, json)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String out = new String(node.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(node.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, node.exitValue(), out);
      List<String> expected = fields.stream()
          .map(io.soulgraph.graph.internal.FieldNames::escape).toList();
      assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expected),
          out.strip());
    } finally {
      node.destroyForcibly();
    }
  }
}
