package io.soulgraph.relay.gun;

import io.soulgraph.graph.InvalidDiffException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class GraphJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Test
  void read_everyCapturedPut_parsesAndRewritesByteForByteExceptTheThreeInvalidOnes()
      throws Exception {
    List<String> rewritten = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    int parsed = 0;
    for (GunCaptures.CapturedPut put : GunCaptures.puts()) {
      try {
        String written = GraphJson.write(GraphJson.read(json(put.text())));
        parsed++;
        if (!written.equals(put.text())) {
          rewritten.add(put.where() + ": " + written + " instead of " + put.text());
        }
      } catch (InvalidDiffException e) {
        rejected.add(put.text());
      }
    }
    assertEquals(List.of(), rewritten);
    assertTrue(parsed > 50, "Expected many captured puts but parsed " + parsed);
    // bad1, bad2, bad3 of 05-raw-client-wire-experiments: gun relays drop them silently too
    assertEquals(Set.of(
        "{\"rawnode\":{\"_\":{\"#\":\"rawnode\",\">\":{}},\"q\":1}}",
        "{\"rawnode\":{\"_\":{\"#\":\"rawnode\",\">\":{\"q\":1795287911420}},\"q\":[1,2]}}",
        "{\"rawnode\":{\"_\":{\"#\":\"other\",\">\":{\"q\":1795287911420}},\"q\":1}}"),
        Set.copyOf(rejected));
  }

  @Test
  void write_fractionalStateAndUnicode_isJavaScriptExact() {
    Graph graph = Graph.of(Node.empty("a/b").with("n", Value.of(1.5e21), 1795287994030.001)
        .with("s", Value.of("é\u2028\"\n"), 1795287994030.0)
        .with("l", Value.link("c"), 1).with("z", Value.NULL, 2));
    assertEquals("{\"a/b\":{\"_\":{\"#\":\"a/b\",\">\":{\"n\":1795287994030.001,"
        + "\"s\":1795287994030,\"l\":1,\"z\":2}},\"n\":1.5e+21,\"s\":\"é\u2028\\\"\\n\","
        + "\"l\":{\"#\":\"c\"},\"z\":null}}", GraphJson.write(graph));
  }

  @Test
  void read_stateWithoutValue_isIgnoredAsGunDoes() throws Exception {
    Graph graph = GraphJson.read(json("{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":1,\"gone\":2}},"
        + "\"x\":true}}"));
    assertEquals(Graph.of(Node.empty("a").with("x", Value.TRUE, 1)), graph);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "not an object|[1]|||Expected the put graph to be a JSON object",
    "node not an object|{\"a\":1}|a||Expected the node to be a JSON object",
    "no metadata|{\"a\":{\"x\":1}}|a||'_'",
    "soul mismatch|{\"a\":{\"_\":{\"#\":\"b\",\">\":{}}}}|a||_[\"#\"]",
    "no states|{\"a\":{\"_\":{\"#\":\"a\"},\"x\":1}}|a||_[\">\"]",
    "string state|{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":\"1\"}},\"x\":1}}|a|x|numeric state",
    "array value|{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":1}},\"x\":[1]}}|a|x|a link",
    "object value|{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":1}},\"x\":{\"y\":1}}}|a|x|a link",
    "link extra key|{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":1}},"
        + "\"x\":{\"#\":\"b\",\"y\":1}}}|a|x|link",
    "link not string|{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":1}},\"x\":{\"#\":1}}}|a|x|link",
    "empty soul|{\"\":{\"_\":{\"#\":\"\",\">\":{}}}}|||non-empty soul",
  })
  void read_invalidGraph_rejectedNamingSoulFieldReason(
      String name, String text, String soul, String field, String reason) throws Exception {
    InvalidDiffException e =
        assertThrows(InvalidDiffException.class, () -> GraphJson.read(json(text)));
    assertEquals(soul == null ? (name.equals("empty soul") ? "" : null) : soul, e.soul(), name);
    assertEquals(field, e.field(), name);
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
