package io.soulgraph.graph.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Value;
import io.soulgraph.ham.VectorClock;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable text forms kept in the graph: field entries, {@code {"field": [value, state,
 * "replica", counter]}} (a node's {@code %h:<bucket>} vertex properties, and the whole-node
 * {@code %ham} record of stores written by older versions), and the causal context
 * ({@code {"n": counter, "v": {"replica": n}, "b": {"replica": [[word, "base64"]]}}}: the cloud
 * as runs of 64-bit words, see {@link #writeContext}; stores written before kept the cloud as
 * {@code "c": [["replica", n]]}, which is still read).
 */
final class EntryCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private EntryCodec() {}

  /**
   * Written and read with Jackson's streaming API, not a tree: the writer writes entries in every
   * commit, and a tree of a few nodes per field cost more than the text.
   */
  static String writeEntries(Map<String, FieldEntry> entries) {
    StringWriter out = new StringWriter(64 * entries.size() + 2);
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      gen.writeStartObject();
      for (Map.Entry<String, FieldEntry> e : entries.entrySet()) {
        gen.writeFieldName(e.getKey());
        writeEntry(gen, e.getValue());
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("Expected to write entries to a string", e);
    }
    return out.toString();
  }

  private static void writeEntry(JsonGenerator gen, FieldEntry entry) throws IOException {
    FieldState fs = entry.fieldState();
    Dot dot = entry.dot();
    gen.writeStartArray();
    writeValue(gen, fs.value());
    gen.writeNumber(fs.state());
    gen.writeString(dot.replica());
    gen.writeNumber(dot.counter());
    gen.writeEndArray();
  }

  private static void writeValue(JsonGenerator gen, Value value) throws IOException {
    switch (value.kind()) {
      case NULL -> gen.writeNull();
      // already JSON: no decoding to encode again
      case STRING, LINK -> gen.writeRawValue(value.json());
      case BOOLEAN -> gen.writeBoolean(value.asBoolean());
      case NUMBER -> gen.writeNumber(value.asNumber());
    }
  }

  static Map<String, FieldEntry> readEntries(String text) {
    Map<String, FieldEntry> entries = new LinkedHashMap<>();
    try (JsonParser in = FACTORY.createParser(text)) {
      expect(in.nextToken() == JsonToken.START_OBJECT, text);
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String field = in.currentName();
        in.nextToken();
        entries.put(field, readEntry(in, text));
      }
      expect(in.currentToken() == JsonToken.END_OBJECT, text);
    } catch (IOException e) {
      throw new IllegalStateException("Expected stored JSON but received: " + text, e);
    }
    return entries;
  }

  /** The entry array at the parser's current token, consumed whole. */
  private static FieldEntry readEntry(JsonParser in, String text) throws IOException {
    expect(in.currentToken() == JsonToken.START_ARRAY, text);
    in.nextToken();
    Value value = readValue(in, text);
    expect(isNumber(in.nextToken()), text);
    double state = in.getDoubleValue();
    expect(in.nextToken() == JsonToken.VALUE_STRING, text);
    String replica = in.getText();
    expect(isNumber(in.nextToken()), text);
    long counter = in.getLongValue();
    expect(in.nextToken() == JsonToken.END_ARRAY, text);
    return new FieldEntry(new FieldState(value, state), new Dot(replica, counter));
  }

  /** The value at the parser's current token (a Gun value; its link object consumed whole). */
  private static Value readValue(JsonParser in, String text) throws IOException {
    JsonToken token = in.currentToken();
    expect(token != null, text);
    switch (token) {
      case VALUE_NULL:
        return Value.NULL;
      case VALUE_STRING:
        return Value.of(in.getText());
      case VALUE_TRUE:
        return Value.TRUE;
      case VALUE_FALSE:
        return Value.FALSE;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return Value.of(in.getDoubleValue());
      case START_OBJECT:
        expect(in.nextToken() == JsonToken.FIELD_NAME && "#".equals(in.currentName()), text);
        expect(in.nextToken() == JsonToken.VALUE_STRING, text);
        String soul = in.getText();
        expect(in.nextToken() == JsonToken.END_OBJECT, text);
        return Value.link(soul);
      default:
        throw new IllegalStateException("Expected a stored Gun value but received " + token
            + " in: " + text);
    }
  }

  private static boolean isNumber(JsonToken token) {
    return token != null && token.isNumeric();
  }

  private static void expect(boolean ok, String text) {
    if (!ok) {
      throw new IllegalStateException("Expected a stored entries record but received: " + text);
    }
  }

  /**
   * The cloud is written per replica as runs of consecutive 64-bit words, each run
   * {@code [first word index, base64 of its words as little-endian longs]}: counter
   * {@code index * 64 + b} is in the cloud for every set bit {@code b}. A catch-up that leaves most
   * of 100,000 dots in the cloud writes about 17 kB instead of a pair per dot, and a lone far dot
   * costs one word.
   */
  static String writeContext(CausalContext context, long counter) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("n", counter);
    ObjectNode vector = root.putObject("v");
    context.vector().counters().forEach(vector::put);
    Map<String, TreeMap<Long, Long>> words = new TreeMap<>();
    context.forEachCloudWord((replica, index, bits) ->
        words.computeIfAbsent(replica, r -> new TreeMap<>()).put(index, bits));
    ObjectNode cloud = root.putObject("b");
    words.forEach((replica, byIndex) -> writeWordRuns(cloud.putArray(replica), byIndex));
    return text(root);
  }

  private static void writeWordRuns(ArrayNode runs, TreeMap<Long, Long> byIndex) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * byIndex.size()).order(ByteOrder.LITTLE_ENDIAN);
    Map.Entry<Long, Long> e = byIndex.firstEntry();
    while (e != null) {
      long first = e.getKey();
      buffer.clear();
      long index = first;
      while (e != null && e.getKey() == index) {
        buffer.putLong(e.getValue());
        index++;
        e = byIndex.higherEntry(e.getKey());
      }
      runs.addArray().add(first)
          .add(Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), buffer.position())));
    }
  }

  static CausalContext readContext(String text) {
    JsonNode root = parse(text);
    Map<String, Long> vector = new TreeMap<>();
    root.get("v").fields().forEachRemaining(e -> vector.put(e.getKey(), e.getValue().longValue()));
    Map<String, Map<Long, Long>> words = new TreeMap<>();
    JsonNode runs = root.get("b");
    if (runs != null) {
      runs.fields().forEachRemaining(e -> {
        Map<Long, Long> byIndex = words.computeIfAbsent(e.getKey(), r -> new TreeMap<>());
        e.getValue().forEach(run -> {
          ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(run.get(1).textValue()))
              .order(ByteOrder.LITTLE_ENDIAN);
          for (long index = run.get(0).longValue(); buffer.remaining() >= 8; index++) {
            byIndex.merge(index, buffer.getLong(), (a, b) -> a | b);
          }
        });
      });
    }
    CausalContext context = CausalContext.ofCloudWords(VectorClock.of(vector), words);
    JsonNode oldCloud = root.get("c");
    if (oldCloud != null) {
      oldCloud.forEach(d -> context.add(new Dot(d.get(0).textValue(), d.get(1).longValue())));
    }
    return context;
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
