package io.soulgraph.relay.gun;

import io.soulgraph.ham.JsJson;
import java.util.Map;

/** Gun protocol frames as clients write them, for tests. Ids, souls and fields are escaped. */
public final class GunFrames {

  private GunFrames() {}

  /** A put of one soul whose fields (name → value as JSON text) all carry {@code state}. */
  public static String put(String id, String soul, double state, Map<String, String> fields) {
    StringBuilder states = new StringBuilder();
    StringBuilder values = new StringBuilder();
    fields.forEach((field, json) -> {
      states.append(states.length() == 0 ? "" : ",").append(JsJson.quote(field)).append(':')
          .append(JsJson.number(state));
      values.append(',').append(JsJson.quote(field)).append(':').append(json);
    });
    return "{\"#\":" + JsJson.quote(id) + ",\"put\":{" + JsJson.quote(soul) + ":{\"_\":{\"#\":"
        + JsJson.quote(soul) + ",\">\":{" + states + "}}" + values + "}}}";
  }

  /** A put of one field, its value given as JSON text. */
  public static String put(String id, String soul, double state, String field, String json) {
    return put(id, soul, state, Map.of(field, json));
  }
}
