package io.soulgraph.relay.p2p;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The shape a message on a network's put topic must have before it is delivered or forwarded:
 * one GunDB put message, {@code {"#": id, "put": {soul: {"_": {"#": soul, ">": {field:
 * state}}, field: value}}}}, UTF-8 JSON, where every field has a numeric state and every value is
 * a primitive or a link {@code {"#": soul}}. Checked synchronously on the gossip router thread,
 * so a malformed message stops at the first relay instead of flooding the mesh; HAM, SEA and the
 * per-peer limits are the sync core's job afterwards.
 */
final class GossipPuts {

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
              .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private GossipPuts() {}

  /** Why {@code data} is not a well-formed put message of at most {@code maxBytes}, if it is not. */
  static Optional<String> problem(byte[] data, int maxBytes) {
    Checked checked = check(data, maxBytes);
    return Optional.ofNullable(checked.problem());
  }

  /** A message checked: its put graph's JSON when well-formed, else why not. */
  record Checked(JsonNode put, String problem) {}

  /** Checks {@code data}; the put graph's JSON comes back for further checks (SEA). */
  static Checked check(byte[] data, int maxBytes) {
    JsonNode[] put = new JsonNode[1];
    Optional<String> problem = shapeProblem(data, maxBytes, put);
    return new Checked(problem.isPresent() ? null : put[0], problem.orElse(null));
  }

  private static Optional<String> shapeProblem(byte[] data, int maxBytes, JsonNode[] putOut) {
    if (data.length > maxBytes) {
      return Optional.of(data.length + " bytes, over the limit of " + maxBytes);
    }
    JsonNode message;
    try {
      message = JSON.readTree(data);
    } catch (JsonProcessingException e) {
      return Optional.of("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return Optional.of("not JSON: " + e.getMessage());
    }
    if (message == null || !message.isObject()) {
      return Optional.of("not a JSON object");
    }
    for (Iterator<String> keys = message.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("#") && !key.equals("put")) {
        return Optional.of("unexpected key \"" + key + "\" (a put message has only # and put)");
      }
    }
    if (message.has("#") && !message.get("#").isTextual()) {
      return Optional.of("its # (message id) is not a string");
    }
    JsonNode put = message.get("put");
    if (put == null || !put.isObject() || put.isEmpty()) {
      return Optional.of("no put object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> souls = put.fields(); souls.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = souls.next();
      Optional<String> problem = nodeProblem(entry.getKey(), entry.getValue());
      if (problem.isPresent()) {
        return problem;
      }
    }
    putOut[0] = put;
    return Optional.empty();
  }

  private static Optional<String> nodeProblem(String soul, JsonNode node) {
    if (soul.isEmpty()) {
      return Optional.of("an empty soul");
    }
    if (!node.isObject()) {
      return Optional.of("node " + soul + " is not an object");
    }
    JsonNode meta = node.get("_");
    if (meta == null || !meta.isObject() || !soul.equals(meta.path("#").asText(null))) {
      return Optional.of("node " + soul + " has no \"_\" whose # is its soul");
    }
    JsonNode states = meta.get(">");
    if (states == null || !states.isObject()) {
      return Optional.of("node " + soul + " has no states (\">\")");
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (name.equals("_")) {
        continue;
      }
      JsonNode state = states.get(name);
      if (state == null || !state.isNumber()) {
        return Optional.of("field " + soul + "." + name + " has no numeric state");
      }
      JsonNode value = field.getValue();
      boolean link = value.isObject() && value.size() == 1 && value.path("#").isTextual();
      if (!value.isValueNode() && !link) {
        return Optional.of(
            "field " + soul + "." + name + " is neither a primitive nor a link {\"#\": soul}");
      }
    }
    return Optional.empty();
  }
}
