package io.soulgraph.relay.gun;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.InvalidDiffException;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.JsJson;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire form of nodes, GunDB's (part of the relay's codec; graph-core takes and returns
 * {@code ham} values only): {@code {soul: {"_": {"#": soul, ">": {field: state}}, field:
 * value}}}. The one place that reads and writes it; numbers and strings are written exactly as
 * JavaScript's {@code JSON.stringify} would ({@link io.soulgraph.ham.JsJson}).
 *
 * <p>Reading follows GunDB's walk over a node's data keys: every key but {@code _} is a field and
 * needs a finite numeric state in {@code _[">"]}; a state in {@code _[">"]} with no such key is
 * ignored (it is what {@code JSON.stringify} leaves of a field whose value was
 * {@code undefined}, and GunDB ignores it too). Extra keys in {@code _} are ignored.
 */
final class GraphJson {

  private GraphJson() {}

  /**
   * Reads a put's graph (the value of a message's {@code put} key), validating all of it first.
   *
   * @throws InvalidDiffException naming soul, field and reason; nothing is returned partially
   */
  static Graph read(JsonNode put) {
    if (put == null || !put.isObject()) {
      throw new InvalidDiffException(null, null,
          "Expected the put graph to be a JSON object but received " + describe(put));
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = put.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      nodes.put(e.getKey(), readNode(e.getKey(), e.getValue()));
    }
    return new Graph(nodes);
  }

  private static Node readNode(String soul, JsonNode node) {
    if (soul.isEmpty()) {
      throw new InvalidDiffException(soul, null, "Expected a non-empty soul");
    }
    if (!node.isObject()) {
      throw new InvalidDiffException(soul, null,
          "Expected the node to be a JSON object but received " + describe(node));
    }
    JsonNode meta = node.get("_");
    if (meta == null || !meta.isObject()) {
      throw new InvalidDiffException(soul, null,
          "Expected the metadata '_' to be an object but received " + describe(meta));
    }
    JsonNode id = meta.get("#");
    if (id == null || !id.isTextual() || !id.textValue().equals(soul)) {
      throw new InvalidDiffException(soul, null,
          "Expected _[\"#\"] to be the soul \"" + soul + "\" but received " + describe(id));
    }
    JsonNode states = meta.get(">");
    if (states == null || !states.isObject()) {
      throw new InvalidDiffException(soul, null,
          "Expected the states _[\">\"] to be an object but received " + describe(states));
    }
    Map<String, FieldState> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("_")) {
        fields.put(e.getKey(), readField(soul, e.getKey(), e.getValue(), states.get(e.getKey())));
      }
    }
    return new Node(soul, fields);
  }

  private static FieldState readField(String soul, String field, JsonNode value, JsonNode state) {
    if (field.isEmpty()) {
      throw new InvalidDiffException(soul, field, "Expected a non-empty field name");
    }
    if (state == null || !state.isNumber() || !Double.isFinite(state.doubleValue())) {
      throw new InvalidDiffException(soul, field,
          "Expected a finite numeric state in _[\">\"] but received " + describe(state));
    }
    Value parsed = value(value);
    if (parsed == null) {
      throw new InvalidDiffException(soul, field, "Expected null, a string, a boolean, a finite "
          + "number or a link {\"#\": soul} but received " + describe(value));
    }
    return new FieldState(parsed, state.doubleValue());
  }

  /** The Gun value a JSON node stands for, or null (arrays, other objects, non-finite numbers). */
  private static Value value(JsonNode node) {
    return switch (node.getNodeType()) {
      case NULL -> Value.NULL;
      case STRING -> Value.of(node.textValue());
      case BOOLEAN -> Value.of(node.booleanValue());
      case NUMBER -> Double.isFinite(node.doubleValue()) ? Value.of(node.doubleValue()) : null;
      case OBJECT -> {
        JsonNode soul = node.get("#");
        yield node.size() == 1 && soul != null && soul.isTextual()
            ? Value.link(soul.textValue()) : null;
      }
      default -> null;
    };
  }

  /** One node as a member of a graph object: {@code "soul":{"_":…,field:value}}. */
  static String member(Node node) {
    StringBuilder out = new StringBuilder();
    writeNode(out, node);
    return out.toString();
  }

  private static String describe(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    String text = node.toString();
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  /** Writes a graph in the wire form, as JSON text. */
  static String write(Graph graph) {
    StringBuilder out = new StringBuilder();
    out.append('{');
    boolean firstNode = true;
    for (Node node : graph.nodes().values()) {
      if (!firstNode) {
        out.append(',');
      }
      firstNode = false;
      writeNode(out, node);
    }
    return out.append('}').toString();
  }

  private static void writeNode(StringBuilder out, Node node) {
    String soul = JsJson.quote(node.soul());
    out.append(soul).append(":{\"_\":{\"#\":").append(soul).append(",\">\":{");
    boolean first = true;
    for (Map.Entry<String, FieldState> e : node.fields().entrySet()) {
      out.append(first ? "" : ",").append(JsJson.quote(e.getKey())).append(':')
          .append(JsJson.number(e.getValue().state()));
      first = false;
    }
    out.append("}}");
    for (Map.Entry<String, FieldState> e : node.fields().entrySet()) {
      out.append(',').append(JsJson.quote(e.getKey())).append(':')
          .append(e.getValue().value().json());
    }
    out.append('}');
  }
}
