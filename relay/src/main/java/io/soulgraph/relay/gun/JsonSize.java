package io.soulgraph.relay.gun;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * The length of a parsed JSON value's compact text, in UTF-16 code units (escapes not counted),
 * without writing it: how big a put is, to bound it before it is read into a graph.
 */
public final class JsonSize {

  private JsonSize() {}

  /** The text length of {@code value}, or some number above {@code cap} once it passes cap. */
  public static long of(JsonNode value, long cap) {
    if (value == null) {
      return 0;
    }
    long size = 0;
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(value);
    while (!pending.isEmpty() && size <= cap) {
      JsonNode node = pending.pop();
      if (node.isObject()) {
        size += 2;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          size += e.getKey().length() + 4; // quotes, colon, comma
          pending.push(e.getValue());
        }
      } else if (node.isArray()) {
        size += 2 + node.size();
        node.forEach(pending::push);
      } else if (node.isTextual()) {
        size += node.textValue().length() + 2;
      } else {
        size += node.asText().length();
      }
    }
    return size;
  }
}
