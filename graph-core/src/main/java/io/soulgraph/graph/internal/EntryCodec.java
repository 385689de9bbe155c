package io.soulgraph.graph.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.VectorClock;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The durable text forms kept in the graph: a node's field entries (the {@code %ham} vertex
 * property, {@code {"field": [value, state, "replica", counter]}}) and the causal context
 * ({@code {"v": {"replica": n}, "c": [["replica", n]]}}).
 */
final class EntryCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EntryCodec() {}

  static String writeEntries(Map<String, FieldEntry> entries) {
    ObjectNode root = MAPPER.createObjectNode();
    entries.forEach(
        (field, entry) -> {
          ArrayNode row = root.putArray(field);
          row.add(ValueCodec.toJson(entry.fieldState().value()));
          row.add(entry.fieldState().state());
          row.add(entry.dot().replica());
          row.add(entry.dot().counter());
        });
    return text(root);
  }

  static Map<String, FieldEntry> readEntries(String text) {
    Map<String, FieldEntry> entries = new LinkedHashMap<>();
    JsonNode root = parse(text);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode row = e.getValue();
      FieldState state = new FieldState(ValueCodec.fromJson(row.get(0)), row.get(1).doubleValue());
      entries.put(e.getKey(), new FieldEntry(state, new Dot(row.get(2).textValue(), row.get(3).longValue())));
    }
    return entries;
  }

  static String writeContext(CausalContext context, long counter) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("n", counter);
    ObjectNode vector = root.putObject("v");
    context.vector().counters().forEach(vector::put);
    ArrayNode cloud = root.putArray("c");
    context.cloud().forEach(dot -> cloud.addArray().add(dot.replica()).add(dot.counter()));
    return text(root);
  }

  static CausalContext readContext(String text) {
    JsonNode root = parse(text);
    Map<String, Long> vector = new TreeMap<>();
    root.get("v").fields().forEachRemaining(e -> vector.put(e.getKey(), e.getValue().longValue()));
    Set<Dot> cloud = new HashSet<>();
    root.get("c").forEach(d -> cloud.add(new Dot(d.get(0).textValue(), d.get(1).longValue())));
    return new CausalContext(VectorClock.of(vector), cloud);
  }

  static long readCounter(String text) {
    return parse(text).get("n").longValue();
  }

  private static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a JSON-writable tree", e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected stored JSON but received: " + text, e);
    }
  }
}
