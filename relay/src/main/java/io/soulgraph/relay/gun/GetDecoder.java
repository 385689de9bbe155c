package io.soulgraph.relay.gun;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the {@code get} part of a message: {@code {"#": soul, ".": key or LEX}}. */
final class GetDecoder {

  private GetDecoder() {}

  /**
   * The request, or {@code null} for a well-formed get the store cannot answer (a LEX soul).
   *
   * @throws GunException.BadFrame for a malformed get
   */
  static GetRequest decode(JsonNode get) {
    if (!get.isObject()) {
      throw new GunException.BadFrame(
          "Expected get to be an object but received " + JsonWords.kind(get));
    }
    JsonNode soul = get.get("#");
    if (soul != null && soul.isObject()) {
      return null;
    }
    if (soul == null || !soul.isTextual()) {
      throw new GunException.BadFrame(
          "Expected get['#'] to be a soul string but received "
              + JsonWords.kind(soul));
    }
    JsonNode field = get.get(".");
    if (field == null || field.isNull()) {
      return GetRequest.node(soul.textValue());
    }
    if (field.isTextual()) {
      return new GetRequest(soul.textValue(), new GetRequest.Exact(field.textValue()));
    }
    if (field.isObject()) {
      return new GetRequest(soul.textValue(), lex(field));
    }
    throw new GunException.BadFrame(
        "Expected get['.'] to be a field name or LEX object but received "
            + JsonWords.kind(field));
  }

  private static GetRequest.FieldSelector lex(JsonNode field) {
    String exact = text(field, "=");
    if (exact != null) {
      return new GetRequest.Exact(exact);
    }
    return new GetRequest.Lex(text(field, "*"), text(field, ">"), text(field, "<"));
  }

  private static String text(JsonNode lex, String key) {
    JsonNode part = lex.get(key);
    if (part == null || part.isNull()) {
      return null;
    }
    if (!part.isTextual()) {
      throw new GunException.BadFrame(
          "Expected LEX '" + key + "' to be a string but received " + JsonWords.kind(part));
    }
    return part.textValue();
  }
}
