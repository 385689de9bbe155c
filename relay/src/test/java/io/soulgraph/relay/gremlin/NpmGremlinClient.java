package io.soulgraph.relay.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the Node scripts of {@code src/test/gremlin-js} (npm gremlin, playwright-core). */
public final class NpmGremlinClient {

  private NpmGremlinClient() {}

  /**
   * Queries {@code url} about {@code soul} and its {@code linkField} edges; the JSON object has one
   * member per query, each {@code {"ok": result}} or {@code {"error": message}}.
   */
  public static JsonNode query(String url, String soul, String linkField) throws Exception {
    return run("query.mjs", url, soul, linkField);
  }

  /**
   * Opens {@code url} from a page at each of {@code origins} (all on {@code pagePort}, served from
   * 127.0.0.1) in headless Chromium; one member per origin: {@code opened}, and the {@code reply}
   * or {@code closeCode}.
   */
  public static JsonNode crossOrigin(String url, int pagePort, String... origins)
      throws Exception {
    String[] args = new String[origins.length + 2];
    args[0] = url;
    args[1] = String.valueOf(pagePort);
    System.arraycopy(origins, 0, args, 2, origins.length);
    return run("cross-origin.mjs", args);
  }

  /** Submits each script with the npm client; one {@code ok} or {@code error} per script. */
  public static JsonNode scripts(String url, java.util.List<String> scripts) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(url));
    args.addAll(scripts);
    return run("scripts.mjs", args.toArray(String[]::new));
  }

  private static JsonNode run(String script, String... args) throws Exception {
    Assumptions.assumeFalse(
        Boolean.getBoolean("relay.skipNode"), "npm gremlin client skipped (-Dskip.npm=true)");
    Path dir = Path.of("src/test/gremlin-js").toAbsolutePath();
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("node", script));
    command.addAll(java.util.List.of(args));
    Process node = new ProcessBuilder(command)
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
