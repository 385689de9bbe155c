package io.soulgraph.graph.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.ham.Value;

/** {@link Value}s to and from Jackson trees: the Gun value forms and nothing else. */
public final class ValueCodec {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ValueCodec() {}

  /**
   * The value a JSON node stands for.
   *
   * @return null if the node is not a Gun value (arrays, objects other than an exact link,
   *     non-finite numbers)
   */
  public static Value fromJson(JsonNode node) {
    if (node == null) {
      return null;
    }
    switch (node.getNodeType()) {
      case NULL:
        return Value.NULL;
      case STRING:
        return Value.of(node.textValue());
      case BOOLEAN:
        return Value.of(node.booleanValue());
      case NUMBER:
        double x = node.doubleValue();
        return Double.isFinite(x) ? Value.of(x) : null;
      case OBJECT:
        JsonNode soul = node.get("#");
        return node.size() == 1 && soul != null && soul.isTextual()
            ? Value.link(soul.textValue()) : null;
      default:
        return null;
    }
  }

  /** The JSON node of a value. */
  public static JsonNode toJson(Value value) {
    return switch (value.kind()) {
      case NULL -> JSON.nullNode();
      case STRING -> JSON.textNode(value.asString());
      case BOOLEAN -> JSON.booleanNode(value.asBoolean());
      case NUMBER -> JSON.numberNode(value.asNumber());
      case LINK -> {
        ObjectNode link = JSON.objectNode();
        link.put("#", value.linkSoul());
        yield link;
      }
    };
  }

  /** What a primitive value is stored as in a vertex property (links and null are not). */
  static Object toProperty(Value value) {
    return switch (value.kind()) {
      case STRING -> value.asString();
      case BOOLEAN -> value.asBoolean();
      case NUMBER -> value.asNumber();
      default -> throw new IllegalArgumentException(
          "Expected a primitive value but received " + value.json());
    };
  }
}
