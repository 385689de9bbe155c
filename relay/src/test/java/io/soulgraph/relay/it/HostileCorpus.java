package io.soulgraph.relay.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated, reproducible corpus of hostile frames (seeded): truncated frames, a wrong type at
 * every key of every message shape, hostile states and souls, prototype keys, deep nesting and
 * floods. Each frame says whether it is an offence the relay must answer with {@code err} (or a
 * close) before it answers the next message on the connection; the others are odd but legal and
 * must merely not hurt anyone.
 */
final class HostileCorpus {

  /** One frame and whether the relay must refuse it at once. */
  record Frame(String kind, String text, boolean offence) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final List<String> PROTOTYPE_KEYS = List.of("__proto__", "constructor", "prototype",
      "toString", "hasOwnProperty", "__defineGetter__", "valueOf");
  private static final String[] KINDS = {"truncated", "wrong-type", "state", "soul", "prototype",
      "nesting", "flood", "truncated-array"};

  private final Random random;
  private final int maxDepth;
  private final int maxMessagesPerFrame;
  private int sequence;

  /**
   * @param maxDepth the relay's nesting limit (deeper frames are offences)
   * @param maxMessagesPerFrame the relay's array limit (longer arrays are offences)
   */
  HostileCorpus(long seed, int maxDepth, int maxMessagesPerFrame) {
    this.random = new Random(seed);
    this.maxDepth = maxDepth;
    this.maxMessagesPerFrame = maxMessagesPerFrame;
  }

  List<Frame> frames(int count) {
    List<Frame> frames = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      frames.add(next(KINDS[i % KINDS.length]));
    }
    return frames;
  }

  private Frame next(String kind) {
    return switch (kind) {
      case "truncated" -> truncated(text(validMessage()));
      case "truncated-array" -> truncated(text(array(validMessage(), validMessage())));
      case "wrong-type" -> wrongType();
      case "state" -> hostileState();
      case "soul" -> hostileSoul();
      case "prototype" -> prototype();
      case "nesting" -> nesting();
      default -> flood();
    };
  }

  private String id() {
    return "hx" + (sequence++);
  }

  private ObjectNode validMessage() {
    return random.nextBoolean() ? put(id(), "corpus/" + random.nextInt(50), "f", NODES.textNode("v"),
        NODES.numberNode(System.currentTimeMillis() - 1000)) : get(id(), "corpus/" + random.nextInt(50));
  }

  static ObjectNode put(String id, String soul, String field, JsonNode value, JsonNode state) {
    ObjectNode message = NODES.objectNode().put("#", id);
    ObjectNode node = message.putObject("put").putObject(soul);
    ObjectNode meta = node.putObject("_").put("#", soul);
    meta.putObject(">").set(field, state);
    node.set(field, value);
    return message;
  }

  static ObjectNode get(String id, String soul) {
    ObjectNode message = NODES.objectNode().put("#", id);
    message.putObject("get").put("#", soul);
    return message;
  }

  private static ArrayNode array(JsonNode... messages) {
    ArrayNode array = NODES.arrayNode();
    for (JsonNode m : messages) {
      array.add(m);
    }
    return array;
  }

  private Frame truncated(String whole) {
    return new Frame("truncated", whole.substring(0, 1 + random.nextInt(whole.length() - 1)), true);
  }

  /**
   * Replaces the value at one path of a valid message with a value of another type. The envelope
   * keys the relay types strictly ({@code #}, {@code @}, {@code put}, {@code dam}, the put's
   * {@code _} and states, a get's soul) make offences; a field value that becomes an object is an
   * offence (only links are objects), other values are legal data.
   */
  private Frame wrongType() {
    ObjectNode message = random.nextBoolean()
        ? put(id(), "corpus/w" + random.nextInt(20), "f", NODES.textNode("v"),
            NODES.numberNode(System.currentTimeMillis() - 1000))
        : get(id(), "corpus/w" + random.nextInt(20));
    List<List<String>> paths = new ArrayList<>();
    collect(message, new ArrayList<>(), paths);
    List<String> path = paths.get(random.nextInt(paths.size()));
    JsonNode wrong = wrongValueFor(currentAt(message, path));
    setAt(message, path, wrong);
    boolean offence = offence(path, wrong);
    return new Frame("wrong-type", text(message), offence);
  }

  private static boolean offence(List<String> path, JsonNode wrong) {
    String last = path.get(path.size() - 1);
    if (path.size() == 1) {
      return last.equals("get") || !wrong.isNull(); // a null id or put is a missing one
    }
    if (path.get(0).equals("get")) {
      return !wrong.isObject(); // an object soul is a LEX get: answered as not found
    }
    boolean isFieldValue = path.size() == 3 && !last.equals("_");
    if (isFieldValue) {
      return wrong.isContainerNode() && !(wrong.isObject() && wrong.path("#").isTextual());
    }
    return true; // the node, its '_', its '#', its '>' or a state
  }

  private JsonNode wrongValueFor(JsonNode current) {
    List<JsonNode> candidates = new ArrayList<>(List.of(NODES.numberNode(42),
        NODES.numberNode(-1.5), NODES.booleanNode(true), NODES.nullNode(), NODES.arrayNode(),
        NODES.arrayNode().add(1).add(NODES.arrayNode().add("x")), NODES.objectNode(),
        NODES.objectNode().put("#", 5), NODES.textNode("")));
    if (!current.isTextual()) {
      candidates.add(NODES.textNode("text"));
    }
    candidates.removeIf(c -> c.getNodeType() == current.getNodeType());
    return candidates.get(random.nextInt(candidates.size()));
  }

  private Frame hostileState() {
    List<JsonNode> states = List.of(NODES.textNode("NaN"), NODES.textNode("1e3"),
        NODES.nullNode(), NODES.booleanNode(false), NODES.arrayNode(), NODES.objectNode(),
        NODES.numberNode(-1), NODES.numberNode(0), NODES.numberNode(-0.0),
        NODES.numberNode(1.5e-300), NODES.numberNode(Long.MIN_VALUE),
        NODES.numberNode(System.currentTimeMillis() - 1000.5));
    JsonNode state = states.get(random.nextInt(states.size()));
    String text = text(put(id(), "corpus/s" + random.nextInt(20), "f", NODES.textNode("v"), state));
    if (state.asText().equals("NaN") && random.nextBoolean()) {
      return new Frame("state", text.replace("\"NaN\"", "1e400"), true); // not finite
    }
    return new Frame("state", text, !state.isNumber());
  }

  private Frame hostileSoul() {
    int pick = random.nextInt(6);
    String id = id();
    long past = System.currentTimeMillis() - 1000;
    return switch (pick) {
      case 0 -> new Frame("soul", text(put(id, "", "f", NODES.textNode("v"),
          NODES.numberNode(past))), true);
      case 1 -> new Frame("soul", text(put(id, "x".repeat(4097 + random.nextInt(2000)), "f",
          NODES.textNode("v"), NODES.numberNode(past))), true);
      case 2 -> {
        ObjectNode message = put(id, "corpus/soul", "f", NODES.textNode("v"),
            NODES.numberNode(past));
        ((ObjectNode) message.path("put").path("corpus/soul").path("_")).put("#", "not/it");
        yield new Frame("soul", text(message), true);
      }
      case 3 -> new Frame("soul", text(put(id, "corpus/link", "l",
          NODES.objectNode().put("#", ""), NODES.numberNode(past))), true);
      case 4 -> new Frame("soul", escapeSurrogates(text(put(id,
          "corpus/\u0000\uD800\n\u2028" + random.nextInt(9), "f", NODES.textNode("\uDFFF"),
          NODES.numberNode(past)))), false);
      default -> new Frame("soul", text(get(id, "")), false); // answered: not found
    };
  }

  private Frame prototype() {
    String key = PROTOTYPE_KEYS.get(random.nextInt(PROTOTYPE_KEYS.size()));
    long past = System.currentTimeMillis() - 1000;
    return switch (random.nextInt(4)) {
      case 0 -> new Frame("prototype", text(put(id(), key, "f", NODES.textNode("proto"),
          NODES.numberNode(past))), false);
      case 1 -> new Frame("prototype", text(put(id(), "corpus/proto", key,
          NODES.textNode("proto"), NODES.numberNode(past))), false);
      case 2 -> new Frame("prototype", text(get(id(), key)), false);
      default -> {
        ObjectNode message = get(id(), "corpus/proto");
        ((ObjectNode) message.path("get")).putObject(".").put("*", key);
        yield new Frame("prototype", text(message), false);
      }
    };
  }

  private Frame nesting() {
    boolean tooDeep = random.nextBoolean();
    int depth = tooDeep ? maxDepth + 1 + random.nextInt(500) : 3 + random.nextInt(maxDepth - 8);
    String inner = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    String where = switch (random.nextInt(3)) {
      case 0 -> "{\"#\":\"" + id() + "\",\"put\":{\"corpus/n\":{\"_\":{\"#\":\"corpus/n\","
          + "\">\":{\"f\":1}},\"f\":" + inner + "}}}";
      case 1 -> "{\"#\":\"" + id() + "\",\"get\":" + inner + "}";
      default -> "{\"#\":\"" + id() + "\",\"put\":" + inner + "}";
    };
    return new Frame("nesting", where, true);
  }

  private Frame flood() {
    boolean tooMany = random.nextBoolean();
    int count = tooMany ? maxMessagesPerFrame + 1 + random.nextInt(200)
        : 2 + random.nextInt(maxMessagesPerFrame - 2);
    ArrayNode array = NODES.arrayNode();
    String repeated = id();
    for (int i = 0; i < count; i++) {
      ObjectNode message = random.nextInt(3) == 0 ? get(repeated, "corpus/flood")
          : put(id(), "corpus/flood" + (i % 7), "f" + i, NODES.numberNode(i),
              NODES.numberNode(System.currentTimeMillis() - 1000));
      array.add(message);
    }
    return new Frame("flood", text(array), tooMany);
  }

  /** Lone surrogates as JSON escapes: a WebSocket text frame must be valid UTF-8. */
  private static String escapeSurrogates(String json) {
    return json.replace("\uD800", "\\uD800").replace("\uDFFF", "\\uDFFF");
  }

  private static void collect(JsonNode node, List<String> path, List<List<String>> out) {
    if (!path.isEmpty()) {
      out.add(List.copyOf(path));
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        path.add(e.getKey());
        collect(e.getValue(), path, out);
        path.remove(path.size() - 1);
      }
    }
  }

  private static JsonNode currentAt(JsonNode root, List<String> path) {
    JsonNode node = root;
    for (String key : path) {
      node = node.get(key);
    }
    return node;
  }

  private static void setAt(ObjectNode root, List<String> path, JsonNode value) {
    ObjectNode parent = root;
    for (String key : path.subList(0, path.size() - 1)) {
      parent = (ObjectNode) parent.get(key);
    }
    parent.set(path.get(path.size() - 1), value);
  }

  private static String text(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
