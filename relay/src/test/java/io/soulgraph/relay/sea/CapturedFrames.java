package io.soulgraph.relay.sea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.graph.GraphJson;
import io.soulgraph.ham.Graph;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The put messages a client sent in a captured session (test resources under {@code sea/}). */
final class CapturedFrames {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CapturedFrames() {}

  /** Put graphs by message id, in capture order, from lines marked {@code C->R} or {@code >>}. */
  static Map<String, Graph> puts(String resource) throws IOException {
    Map<String, Graph> puts = new LinkedHashMap<>();
    try (InputStream in = CapturedFrames.class.getResourceAsStream("/sea/" + resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        int start = line.indexOf('{');
        int arrayStart = line.indexOf('[');
        boolean sent = line.contains(" C->R ") || line.contains(" >> ");
        if (!sent || start < 0) {
          continue;
        }
        JsonNode frame = JSON.readTree(line.substring(arrayStart >= 0 && arrayStart < start ? arrayStart : start));
        for (JsonNode message : frame.isArray() ? frame : JSON.createArrayNode().add(frame)) {
          if (message.has("put")) {
            puts.put(message.get("#").asText(), GraphJson.read(message.get("put")));
          }
        }
      }
    }
    return puts;
  }
}
