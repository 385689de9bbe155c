package io.soulgraph.relay.sea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.ham.Graph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The put messages a client sent in a captured GunDB session ({@code testdata/gun-captures/} in
 * the repository; Maven runs tests in the module directory, so that is {@code
 * ../testdata/gun-captures}).
 */
public final class CapturedFrames {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR =
      Path.of(System.getProperty("gun.captures", "../testdata/gun-captures"));

  /** A capture file's text. */
  public static String text(String name) throws IOException {
    Path file = DIR.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "Expected the GunDB captures at " + DIR.toAbsolutePath() + " (testdata/gun-captures)");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private CapturedFrames() {}

  /** Put graphs by message id, in capture order, from lines marked {@code C->R} or {@code >>}. */
  static Map<String, Graph> puts(String resource) throws IOException {
    Map<String, Graph> puts = new LinkedHashMap<>();
    {
      for (String line : text(resource).split("\n")) {
        int start = line.indexOf('{');
        int arrayStart = line.indexOf('[');
        boolean sent = line.contains(" C->R ") || line.contains(" >> ");
        if (!sent || start < 0) {
          continue;
        }
        JsonNode frame = JSON.readTree(line.substring(arrayStart >= 0 && arrayStart < start ? arrayStart : start));
        for (JsonNode message : frame.isArray() ? frame : JSON.createArrayNode().add(frame)) {
          if (message.has("put")) {
            puts.put(message.get("#").asText(), GunCodec.readGraph(message.get("put")));
          }
        }
      }
    }
    return puts;
  }
}
