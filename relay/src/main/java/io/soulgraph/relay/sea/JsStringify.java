package io.soulgraph.relay.sea;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.ham.JsJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code JSON.stringify(JSON.parse(text))} as a JavaScript engine writes it, for JSON parsed with
 * Jackson: what a SEA signer hashed is the JavaScript text of the value, so the relay must rebuild
 * exactly those bytes (numbers as ECMAScript prints doubles, lowercase {@code \\u00xx} escapes,
 * and object keys in JavaScript's property order: array-index keys ascending, then the rest in
 * insertion order).
 */
final class JsStringify {

  private static final long MAX_ARRAY_INDEX = 4_294_967_294L; // 2^32 - 2

  private JsStringify() {}

  static String of(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case STRING -> out.append(JsJson.quote(node.textValue()));
      case NUMBER -> out.append(JsJson.number(node.doubleValue()));
      case BOOLEAN -> out.append(node.booleanValue());
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case OBJECT -> writeObject(node, out);
      default -> out.append("null");
    }
  }

  private static void writeObject(JsonNode node, StringBuilder out) {
    List<Map.Entry<String, JsonNode>> indexKeys = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> otherKeys = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      (isArrayIndex(field.getKey()) ? indexKeys : otherKeys).add(field);
    }
    indexKeys.sort((a, b) -> Long.compare(Long.parseLong(a.getKey()), Long.parseLong(b.getKey())));
    indexKeys.addAll(otherKeys);
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> field : indexKeys) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append(JsJson.quote(field.getKey())).append(':');
      write(field.getValue(), out);
    }
    out.append('}');
  }

  /** A canonical array index: "0", or digits without a leading zero, at most 2^32 - 2. */
  private static boolean isArrayIndex(String key) {
    if (key.isEmpty() || key.length() > 10) {
      return false;
    }
    if (key.length() > 1 && key.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return false;
      }
    }
    return Long.parseLong(key) <= MAX_ARRAY_INDEX;
  }
}
