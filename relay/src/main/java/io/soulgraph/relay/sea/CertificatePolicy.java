package io.soulgraph.relay.sea;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a SEA certificate ({@code SEA.certify}) lets its certificants write, by gun 0.2020.1241's
 * rules (docs/user-space.md, "Certificates"): the certificate's data {@code {c, e, w, wb}} names
 * the certificants ({@code c}: a pub, {@code "*"}, or a list), an expiry ({@code e}, compared
 * with the field's state), the write policy ({@code w}: one or a list of paths or LEX objects
 * matched against the soul's path below the owner's account and the key) and a block list
 * ({@code wb}). This class decides everything that needs neither cryptography nor the store.
 */
final class CertificatePolicy {

  /** GunDB's reply for a certificate that does not cover the write. */
  static final String FAIL = "Certificate verification fail.";
  /** GunDB's reply for a write stamped after the certificate's expiry. */
  static final String EXPIRED = "Certificate expired.";

  private CertificatePolicy() {}

  /**
   * The error for a write by {@code certificant} of {@code key} on {@code soul} at {@code state}
   * with value {@code value} under a certificate's data, or null if the data allows it (the
   * block list is the caller's: see {@link #blockList}).
   */
  static String check(
      JsonNode data, String certificant, String soul, String key, JsonNode value, double state) {
    if (data == null || !data.isObject()) {
      return FAIL;
    }
    JsonNode expiry = data.get("e");
    if (expiry != null && !expiry.isNull()) {
      if (!expiry.isNumber()) {
        return FAIL; // SEA.certify always writes a number; GunDB would ignore anything else
      }
      if (state > expiry.doubleValue()) {
        return EXPIRED;
      }
    }
    if (!names(data.get("c"), certificant) || !truthy(data.get("w"))) {
      return FAIL;
    }
    int slash = soul.indexOf('/');
    String path = slash >= 0 ? soul.substring(slash + 1) : "";
    for (JsonNode lex : policies(data.get("w"))) {
      if (!allows(lex, path, key)) {
        continue;
      }
      if (requiresCertificantInPath(lex) && !path.contains(certificant)
          && !key.contains(certificant)) {
        // GunDB skips this on the account node itself (empty path), which lets a certificant
        // point the owner's field anywhere; we allow there only the link gun writes on the way
        // down, to the soul below it.
        if (!path.isEmpty() || !isLinkTo(value, soul + "/" + key)) {
          return "Path \"" + path + "\" or key \"" + key + "\" must contain string \""
              + certificant + "\".";
        }
      }
      return null;
    }
    return FAIL;
  }

  /**
   * Where the certificate's block list lives: a soul ({@code "~…"} or {@code {"#": soul}}), a
   * field of the owner's account node ({@code "name"}, resolved by the caller), or null if none.
   */
  static JsonNode blockList(JsonNode data) {
    JsonNode block = data.get("wb");
    if (block == null) {
      return null;
    }
    if (block.isTextual() && !block.textValue().isEmpty()) {
      return block;
    }
    JsonNode soul = block.isObject() ? block.get("#") : null;
    return soul != null && soul.isTextual() && !soul.textValue().isEmpty() ? soul : null;
  }

  /**
   * {@code data.c === certificant || data.c.indexOf('*') > -1}, as GunDB tests it, and also a
   * list naming the certificant: GunDB's test ({@code indexOf('*' || certificant)}) only ever
   * looks for {@code "*"}, so lists of pubs, which {@code SEA.certify} documents, never work
   * there; here they do (docs/user-space.md).
   */
  private static boolean names(JsonNode certificants, String certificant) {
    if (certificants == null) {
      return false;
    }
    if (certificants.isTextual()) {
      String text = certificants.textValue();
      return text.equals(certificant) || text.contains("*");
    }
    if (certificants.isArray()) {
      for (JsonNode each : certificants) {
        if (each.isTextual() && (each.textValue().equals("*") || each.textValue().equals(certificant))) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<JsonNode> policies(JsonNode write) {
    List<JsonNode> out = new ArrayList<>();
    if (write.isArray()) {
      write.forEach(out::add);
    } else if (write.isObject() || write.isTextual()) {
      out.add(write);
    }
    return out;
  }

  /** GunDB's four ways a policy entry covers {@code path} and {@code key}. */
  private static boolean allows(JsonNode lex, String path, String key) {
    JsonNode soulPart = member(lex, "#");
    JsonNode keyPart = member(lex, ".");
    return (matches(path, soulPart) && matches(key, keyPart))
        || (!truthy(keyPart) && matches(path, soulPart))
        || (!truthy(soulPart) && matches(key, keyPart))
        || matches(path.isEmpty() ? key : path + "/" + key, truthy(soulPart) ? soulPart : lex);
  }

  private static boolean requiresCertificantInPath(JsonNode lex) {
    JsonNode plus = member(lex, "+");
    if (plus == null) {
      return false;
    }
    if (plus.isTextual()) {
      return plus.textValue().contains("*");
    }
    if (plus.isArray()) {
      for (JsonNode each : plus) {
        if (each.isTextual() && each.textValue().equals("*")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isLinkTo(JsonNode value, String soul) {
    JsonNode link = value != null && value.isObject() && value.size() == 1 ? value.get("#") : null;
    return link != null && link.isTextual() && link.textValue().equals(soul);
  }

  /**
   * gun's {@code String.match(text, lex)}: a string is an exact match; an object matches by
   * {@code "="} (exact), {@code "*"} (prefix), {@code ">"}/{@code "<"} (range). Non-string
   * bounds never match here (JavaScript would compare them as numbers).
   */
  static boolean matches(String text, JsonNode lex) {
    if (lex == null) {
      return false;
    }
    if (lex.isTextual()) {
      return text.equals(lex.textValue());
    }
    if (!lex.isObject()) {
      return false;
    }
    JsonNode exact = lex.get("=");
    JsonNode prefix = lex.get("*");
    JsonNode from = lex.get(">");
    JsonNode to = lex.get("<");
    JsonNode first = firstTruthy(exact, prefix, from, to);
    if (first != null && first.isTextual() && text.equals(first.textValue())) {
      return true;
    }
    if (exact != null) {
      return false;
    }
    JsonNode start = truthy(prefix) ? prefix : from;
    if (start != null && start.isTextual() && text.startsWith(start.textValue())) {
      return true;
    }
    if (prefix != null) {
      return false;
    }
    boolean above = from != null && from.isTextual() && text.compareTo(from.textValue()) >= 0;
    boolean below = to != null && to.isTextual() && text.compareTo(to.textValue()) <= 0;
    if (from != null && to != null) {
      return above && below;
    }
    return above || below;
  }

  private static JsonNode member(JsonNode lex, String name) {
    return lex.isObject() ? lex.get(name) : null;
  }

  private static JsonNode firstTruthy(JsonNode... candidates) {
    for (JsonNode candidate : candidates) {
      if (truthy(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** JavaScript truthiness of a JSON value (absent is undefined). */
  static boolean truthy(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return false;
    }
    if (value.isTextual()) {
      return !value.textValue().isEmpty();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      double number = value.doubleValue();
      return number != 0 && !Double.isNaN(number);
    }
    return true;
  }
}
