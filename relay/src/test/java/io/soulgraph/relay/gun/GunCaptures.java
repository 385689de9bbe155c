package io.soulgraph.relay.gun;


import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code put} graphs of every frame captured from real GunDB peers, as their exact text. The
 * captures live in the repository ({@code testdata/gun-captures/}, see its README); Maven runs
 * tests in the module directory, so that is {@code ../testdata/gun-captures}.
 */
final class GunCaptures {

  static final Path DIR =
      Path.of(System.getProperty("gun.captures", "../testdata/gun-captures"));

  /** One captured put graph: where it was, and its JSON text byte for byte. */
  record CapturedPut(String where, String text) {}

  private GunCaptures() {}

  static List<CapturedPut> puts() throws IOException {
    if (!Files.isDirectory(DIR)) {
      throw new IOException(
          "Expected the GunDB captures at " + DIR.toAbsolutePath() + " (testdata/gun-captures)");
    }
    List<CapturedPut> puts = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR).filter(f -> f.toString().endsWith(".txt"))) {
      for (Path file : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          String frame = frameOf(lines.get(i));
          if (frame != null && frame.contains("\"put\"")) {
            for (String put : putTexts(frame)) {
              puts.add(new CapturedPut(file.getFileName() + ":" + (i + 1), put));
            }
          }
        }
      }
    }
    return puts;
  }

  private static String frameOf(String line) {
    int brace = line.indexOf('{');
    int bracket = line.indexOf('[');
    int start = brace < 0 ? bracket : bracket < 0 ? brace : Math.min(brace, bracket);
    return start < 0 ? null : line.substring(start);
  }

  /** The raw text of each message's {@code put} value in a frame (an object or an array). */
  private static List<String> putTexts(String frame) throws IOException {
    List<String> texts = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(frame)) {
      int depth = 0;
      int messageDepth = frame.startsWith("[") ? 2 : 1;
      for (JsonToken t = nextOrNull(p); t != null; t = nextOrNull(p)) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.FIELD_NAME && depth == messageDepth
            && p.currentName().equals("put")) {
          String text = valueText(p, frame);
          if (text != null) {
            texts.add(text);
          }
        }
      }
    }
    return texts;
  }

  /** The text of the value after the current field name, or null if the frame is truncated. */
  private static String valueText(JsonParser p, String frame) {
    try {
      p.nextToken();
      int start = (int) p.currentTokenLocation().getCharOffset();
      p.skipChildren();
      int end = (int) p.currentLocation().getCharOffset();
      return frame.substring(start, end);
    } catch (IOException e) {
      return null; // the capture shortened a long frame
    }
  }

  private static JsonToken nextOrNull(JsonParser p) {
    try {
      return p.nextToken();
    } catch (IOException e) {
      return null; // a deliberately malformed frame ("not json") ends the scan
    }
  }
}
