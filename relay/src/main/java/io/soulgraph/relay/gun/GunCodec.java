package io.soulgraph.relay.gun;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.VectorClock;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.JsJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Text frames to {@link GunMessage}s and back. The only class that knows the wire keys of the
 * envelope ({@code #}, {@code @}, {@code get}, {@code put}, {@code dam}, ...); put graphs are read
 * and written by {@link GraphJson}, the node wire form, which only this package knows (graph-core
 * takes and returns {@code ham} values). Thread-safe.
 */
public final class GunCodec {

  /** The handshake key marking a Soulgraph peer. */
  static final String SOULGRAPH_MARKER = "sg";

  /** The key of anti-entropy messages between Soulgraph peers (docs/sync-protocol.md). */
  static final String ANTI_ENTROPY = "ae";

  /** The version of the Soulgraph sync protocol this codec speaks. */
  public static final int SYNC_VERSION = 1;

  private final ObjectMapper mapper;
  private final GunLimits limits;

  public GunCodec(GunLimits limits) {
    this.limits = limits;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxStringLength(limits.maxFrameBytes())
                    .build())
            .build();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Splits a frame into message objects: one object, or an array of them ({@code []} is a
   * heartbeat: no messages).
   *
   * @throws GunException.BadFrame if the frame is too big, not JSON, too deep, or not objects
   */
  public List<ObjectNode> decodeFrame(String frame) {
    if (frame.length() > limits.maxFrameBytes()) {
      throw new GunException.LimitExceeded(
          "Expected a frame of at most "
              + limits.maxFrameBytes()
              + " chars but received "
              + frame.length());
    }
    JsonNode tree = parse(frame);
    List<ObjectNode> messages = new ArrayList<>();
    if (tree.isObject()) {
      messages.add((ObjectNode) tree);
    } else if (tree.isArray()) {
      if (tree.size() > limits.maxMessagesPerFrame()) {
        throw new GunException.LimitExceeded(
            "Expected at most "
                + limits.maxMessagesPerFrame()
                + " messages in a frame but received "
                + tree.size());
      }
      for (JsonNode element : tree) {
        if (!element.isObject()) {
          throw new GunException.BadFrame(
              "Expected message objects in the array but received " + JsonWords.kind(element));
        }
        messages.add((ObjectNode) element);
      }
    } else {
      throw new GunException.BadFrame(
          "Expected a message object or an array but received " + JsonWords.kind(tree));
    }
    return messages;
  }

  private JsonNode parse(String frame) {
    try {
      JsonNode tree = mapper.readTree(frame);
      if (tree == null || tree.isMissingNode()) {
        throw new GunException.BadFrame("Expected JSON but received an empty frame");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw new GunException.BadFrame(JsonWords.parseProblem(e, frame, limits.maxDepth()));
    }
  }

  /**
   * Reads one message's envelope.
   *
   * @param freshId the id to give a message that came without {@code #}
   * @throws GunException.BadFrame if a known field has the wrong type
   */
  public GunMessage decode(ObjectNode message, String freshId) {
    String id = optionalText(message, "#");
    checkIdLength("#", id);
    if (id == null) {
      id = freshId;
      message.put("#", id);
    }
    String replyTo = optionalText(message, "@");
    checkIdLength("@", replyTo);
    String dam = optionalText(message, "dam");
    String antiEntropy = optionalText(message, ANTI_ENTROPY);
    JsonNode put = message.get("put");
    if (put != null && put.isNull()) {
      put = null;
    } else if (put != null && !put.isObject()) {
      throw new GunException.BadFrame(
          "Expected put to be an object but received " + JsonWords.kind(put));
    }
    JsonNode get = message.get("get");
    GetRequest request = get == null ? null : GetDecoder.decode(get);
    if (antiEntropy != null) {
      return new GunMessage.AntiEntropy(id, replyTo, antiEntropy, message);
    }
    if (put != null) {
      return new GunMessage.Put(id, replyTo, put, message);
    }
    if (get != null) {
      return new GunMessage.Get(id, replyTo, request, message);
    }
    if (dam != null) {
      return new GunMessage.Dam(id, replyTo, dam, network(message), message);
    }
    return replyTo != null
        ? new GunMessage.Reply(id, replyTo, message)
        : new GunMessage.Other(id, null, message);
  }

  /** The network of a Soulgraph handshake marker {@code "sg":{"v":1,"network":name}}, or null. */
  private String network(ObjectNode message) {
    JsonNode marker = message.get(SOULGRAPH_MARKER);
    if (marker == null || marker.isNull()) {
      return null;
    }
    JsonNode network = marker.get("network");
    if (!marker.isObject() || network == null || !network.isTextual()) {
      throw new GunException.BadFrame("Expected 'sg' to be {\"v\":1,\"network\":name} but received "
          + JsonWords.kind(marker));
    }
    checkIdLength("sg.network", network.textValue());
    return network.textValue();
  }

  private void checkIdLength(String key, String id) {
    int max = limits.memory().maxIdLength();
    if (id != null && id.length() > max) {
      throw new GunException.LimitExceeded("Expected '" + key + "' of at most " + max
          + " characters but received " + id.length());
    }
  }

  /**
   * The message's id if it has a string one not longer than maxIdLength (to tie an error to it),
   * else null.
   */
  public String idOf(ObjectNode message) {
    JsonNode id = message.get("#");
    return id != null && id.isTextual() && id.textValue().length() <= limits.memory().maxIdLength()
        ? id.textValue()
        : null;
  }

  private static String optionalText(ObjectNode message, String key) {
    JsonNode node = message.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new GunException.BadFrame(
          "Expected '" + key + "' to be a string but received " + JsonWords.kind(node));
    }
    return node.textValue();
  }

  /** The message as JSON text (for forwarding a get or a control message verbatim). */
  public String encode(ObjectNode message) {
    try {
      return mapper.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a tree to serialize but it failed", e);
    }
  }

  /**
   * {@code {"#":id,"dam":"?","pid":pid,"sg":{"v":1,"network":network}}}: the handshake each side
   * starts. The {@code sg} marker tells a Soulgraph peer from a GunDB one (which ignores it).
   */
  public static String hello(String id, String pid, String network) {
    return "{\"#\":" + q(id) + ",\"dam\":\"?\",\"pid\":" + q(pid) + marker(network) + "}";
  }

  /** The answer to a peer's handshake, with the same marker. */
  public static String helloReply(String id, String replyTo, String pid, String network) {
    return "{\"#\":" + q(id) + ",\"@\":" + q(replyTo) + ",\"dam\":\"?\",\"pid\":" + q(pid)
        + marker(network) + "}";
  }

  private static String marker(String network) {
    return ",\"" + SOULGRAPH_MARKER + "\":{\"v\":" + SYNC_VERSION + ",\"network\":" + q(network) + "}";
  }

  /**
   * Reads a put's graph (the value of a message's {@code put} key), validating all of it first.
   *
   * @throws io.soulgraph.graph.InvalidDiffException naming soul, field and reason
   */
  public static Graph readGraph(JsonNode put) {
    try {
      return GraphJson.read(put);
    } catch (io.soulgraph.graph.InvalidDiffException invalid) {
      throw invalid;
    } catch (IllegalArgumentException invalid) {
      throw new io.soulgraph.graph.InvalidDiffException(null, null, invalid.getMessage());
    }
  }

  /** One node as a member of a put graph ({@code "soul":{…}}), to compose graphs from. */
  public static String nodeMember(Node node) {
    return GraphJson.member(node);
  }

  /** A put message whose graph is the given members ({@link #nodeMember}), joined. */
  public static String putOf(String id, java.util.Collection<String> members) {
    return "{\"#\":" + q(id) + ",\"put\":{" + String.join(",", members) + "}}";
  }

  /** {@code {"#":id,"@":putId,"ok":1}}: the put is committed. */
  public static String ack(String id, String replyTo) {
    return "{\"#\":" + q(id) + ",\"@\":" + q(replyTo) + ",\"ok\":1}";
  }

  /** An error answer to a message, or a DAM error if it cannot be tied to one. */
  public static String error(String id, String replyTo, String text) {
    String to = replyTo == null ? "\"dam\":\"!\"" : "\"@\":" + q(replyTo);
    return "{\"#\":" + q(id) + "," + to + ",\"err\":" + q(text) + "}";
  }

  /** The not-found answer to a get: {@code {"#":id,"@":getId}}, no {@code put}. */
  public static String notFound(String id, String replyTo) {
    return "{\"#\":" + q(id) + ",\"@\":" + q(replyTo) + "}";
  }

  /**
   * A get answer carrying a graph, with GunDB's {@code ##} hash of it ({@link PutHash}) so that
   * clients can drop the same answer arriving along another path.
   */
  public static String reply(String id, String replyTo, Graph graph) {
    return "{\"#\":" + q(id) + ",\"##\":" + PutHash.of(graph) + ",\"@\":" + q(replyTo)
        + ",\"put\":" + GraphJson.write(graph) + "}";
  }

  /** A put message carrying {@code graphJson} (GraphJson text). */
  public static String put(String id, String graphJson) {
    return "{\"#\":" + q(id) + ",\"put\":" + graphJson + "}";
  }

  /** A get for a whole node or one field. */
  public static String get(String id, String soul, String field) {
    String dot = field == null ? "" : ",\".\":" + q(field);
    return "{\"#\":" + q(id) + ",\"get\":{\"#\":" + q(soul) + dot + "}}";
  }

  /** Frames several encoded messages as one array frame. */
  public static String batch(List<String> messages) {
    return "[" + String.join(",", messages) + "]";
  }

  /* --- anti-entropy between Soulgraph peers (docs/sync-protocol.md) --- */

  /** {@code {"#":id,"ae":"ctx","ctx":{…}}}: what the sender has seen; the peer answers with what it lacks. */
  public static String antiEntropyContext(String id, CausalContext context) {
    return "{\"#\":" + q(id) + ",\"ae\":\"ctx\",\"ctx\":" + context(context) + "}";
  }

  /**
   * {@code {"#":id,"@":ctxId,"ae":"batch","graph":{…},"dots":{soul:{field:[replica,n]}}}}: one
   * batch of the writes the asker lacks, with their dots; the last one (possibly empty) carries
   * the sender's {@code ctx} and ends the stream.
   */
  public static String antiEntropyBatch(
      String id, String replyTo, List<Update> updates, CausalContext senderContextOrNull) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<String, TreeMap<String, String>> dots = new LinkedHashMap<>();
    for (Update update : updates) {
      nodes.merge(update.soul(), Node.empty(update.soul()).with(update.field(),
              update.fieldState().value(), update.fieldState().state()),
          (a, b) -> a.with(update.field(), update.fieldState().value(),
              update.fieldState().state()));
      dots.computeIfAbsent(update.soul(), s -> new TreeMap<>())
          .put(update.field(), dot(update.dot()));
    }
    StringBuilder out = new StringBuilder();
    out.append("{\"#\":").append(q(id)).append(",\"@\":").append(q(replyTo))
        .append(",\"ae\":\"batch\",\"graph\":").append(GraphJson.write(new Graph(nodes)))
        .append(",\"dots\":{");
    boolean firstSoul = true;
    for (Map.Entry<String, TreeMap<String, String>> soul : dots.entrySet()) {
      out.append(firstSoul ? "" : ",").append(q(soul.getKey())).append(":{");
      firstSoul = false;
      boolean firstField = true;
      for (Map.Entry<String, String> field : soul.getValue().entrySet()) {
        out.append(firstField ? "" : ",").append(q(field.getKey())).append(':')
            .append(field.getValue());
        firstField = false;
      }
      out.append('}');
    }
    out.append('}');
    if (senderContextOrNull != null) {
      out.append(",\"ctx\":").append(context(senderContextOrNull));
    }
    return out.append('}').toString();
  }

  /** {@code {"#":id,"@":batchId,"ae":"ok"}}: the batch is applied; send the next. */
  public static String antiEntropyAck(String id, String replyTo) {
    return "{\"#\":" + q(id) + ",\"@\":" + q(replyTo) + ",\"ae\":\"ok\"}";
  }

  /**
   * The sender's context of an anti-entropy message, or null if it carries none.
   *
   * @throws GunException.BadFrame if it is malformed
   */
  public CausalContext readContext(ObjectNode message) {
    JsonNode ctx = message.get("ctx");
    if (ctx == null || ctx.isNull()) {
      return null;
    }
    JsonNode vv = ctx.get("vv");
    JsonNode cloud = ctx.get("cloud");
    if (!ctx.isObject() || vv == null || !vv.isObject() || (cloud != null && !cloud.isArray())) {
      throw new GunException.BadFrame(
          "Expected ctx to be {\"vv\":{replica:n},\"cloud\":[[replica,n]]} but received "
              + JsonWords.kind(ctx));
    }
    Map<String, Long> counters = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = vv.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      counters.put(e.getKey(), counter(e.getValue()));
    }
    Set<Dot> dots = new HashSet<>();
    if (cloud != null) {
      for (JsonNode dot : cloud) {
        dots.add(readDot(dot));
      }
    }
    return new CausalContext(VectorClock.of(counters), dots);
  }

  /**
   * The writes of an anti-entropy batch, each with its dot.
   *
   * @throws GunException.BadFrame if the graph or a dot is malformed or a field has no dot
   * @throws io.soulgraph.graph.InvalidDiffException if the graph is invalid
   */
  public List<Update> readUpdates(ObjectNode message) {
    JsonNode graph = message.get("graph");
    JsonNode dots = message.get("dots");
    if (graph == null || dots == null || !dots.isObject()) {
      throw new GunException.BadFrame("Expected an anti-entropy batch with graph and dots");
    }
    List<Update> updates = new ArrayList<>();
    for (Node node : GraphJson.read(graph).nodes().values()) {
      for (Map.Entry<String, FieldState> field : node.fields().entrySet()) {
        JsonNode dot = dots.path(node.soul()).get(field.getKey());
        if (dot == null) {
          throw new GunException.BadFrame("Expected a dot for soul '" + node.soul()
              + "', field '" + field.getKey() + "' in the batch");
        }
        updates.add(new Update(node.soul(), field.getKey(), field.getValue(), readDot(dot)));
      }
    }
    return updates;
  }

  private static Dot readDot(JsonNode dot) {
    if (!dot.isArray() || dot.size() != 2 || !dot.get(0).isTextual()) {
      throw new GunException.BadFrame(
          "Expected a dot [replica, counter] but received " + JsonWords.kind(dot));
    }
    try {
      return new Dot(dot.get(0).textValue(), counter(dot.get(1)));
    } catch (IllegalArgumentException invalid) {
      throw new GunException.BadFrame("Expected a valid dot: " + invalid.getMessage());
    }
  }

  private static long counter(JsonNode n) {
    if (!n.canConvertToLong() || !n.isIntegralNumber() || n.longValue() < 0) {
      throw new GunException.BadFrame(
          "Expected a counter (a whole number from 0) but received " + JsonWords.kind(n));
    }
    return n.longValue();
  }

  private static String context(CausalContext context) {
    StringBuilder out = new StringBuilder("{\"vv\":{");
    boolean first = true;
    for (Map.Entry<String, Long> e : context.vector().counters().entrySet()) {
      out.append(first ? "" : ",").append(q(e.getKey())).append(':').append(e.getValue());
      first = false;
    }
    out.append("},\"cloud\":[");
    first = true;
    for (Dot dot : context.cloud()) {
      out.append(first ? "" : ",").append(dot(dot));
      first = false;
    }
    return out.append("]}").toString();
  }

  private static String dot(Dot dot) {
    return "[" + q(dot.replica()) + "," + dot.counter() + "]";
  }

  private static String q(String text) {
    return JsJson.quote(text);
  }
}
