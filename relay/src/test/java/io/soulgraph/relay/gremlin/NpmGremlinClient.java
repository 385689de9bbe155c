package io.soulgraph.relay.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the npm gremlin client ({@code src/test/gremlin-js/query.mjs}) and reads its results. */
public final class NpmGremlinClient {

  private NpmGremlinClient() {}

  /**
   * Queries {@code url} about {@code soul} and its {@code linkField} edges; the JSON object has one
   * member per query, each {@code {"ok": result}} or {@code {"error": message}}.
   */
  public static JsonNode query(String url, String soul, String linkField) throws Exception {
    Assumptions.assumeFalse(
        Boolean.getBoolean("relay.skipNode"), "npm gremlin client skipped (-Dskip.npm=true)");
    Path dir = Path.of("src/test/gremlin-js").toAbsolutePath();
    Process node = new ProcessBuilder("node", "query.mjs", url, soul, linkField)
        .directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(node.waitFor(90, TimeUnit.SECONDS), "node did not finish");
      assertEquals(0, node.exitValue(), "node exited with " + node.exitValue() + ": " + stdout);
      return new ObjectMapper().readTree(stdout);
    } finally {
      node.destroyForcibly();
    }
  }
}
