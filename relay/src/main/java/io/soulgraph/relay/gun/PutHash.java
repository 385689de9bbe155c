package io.soulgraph.relay.gun;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.JsJson;
import io.soulgraph.ham.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GunDB's {@code ##} hash of a put graph, sent on get replies so that clients can drop identical
 * answers that reach them along different paths: {@code JSON.stringify} of the put with object
 * keys sorted at every level (by UTF-16 code units, as JavaScript sorts), hashed with {@code h =
 * h*31 + codeUnit} in 32 bits, which is exactly {@link String#hashCode()} of that text
 * (docs/gun-protocol.md §2). Part of the codec: it knows the node wire form.
 */
final class PutHash {

  private PutHash() {}

  /** The {@code ##} of a put graph. */
  static int of(Graph put) {
    return sortedJson(put).hashCode();
  }

  /** The put as JSON text with every object's keys sorted. */
  static String sortedJson(Graph put) {
    TreeMap<String, String> souls = new TreeMap<>();
    put.nodes().forEach((soul, node) -> souls.put(soul, node(node)));
    return object(souls);
  }

  private static String node(Node node) {
    TreeMap<String, String> states = new TreeMap<>();
    TreeMap<String, String> members = new TreeMap<>();
    for (Map.Entry<String, FieldState> field : node.fields().entrySet()) {
      states.put(field.getKey(), JsJson.number(field.getValue().state()));
      members.put(field.getKey(), field.getValue().value().json());
    }
    TreeMap<String, String> meta = new TreeMap<>();
    meta.put("#", JsJson.quote(node.soul()));
    meta.put(">", object(states));
    members.put("_", object(meta));
    return object(members);
  }

  private static String object(TreeMap<String, String> members) {
    List<String> parts = new ArrayList<>(members.size());
    members.forEach((key, json) -> parts.add(JsJson.quote(key) + ":" + json));
    return "{" + String.join(",", parts) + "}";
  }
}
