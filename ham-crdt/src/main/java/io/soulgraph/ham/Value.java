package io.soulgraph.ham;

import java.util.Objects;

/**
 * A field's value: null (a tombstone), a string, a finite number, a boolean, or a link to another
 * node's soul. Immutable.
 *
 * <p>Each value carries its JSON text exactly as JavaScript's {@code JSON.stringify} would write it
 * ({@link JsJson}); HAM's equal-state tie-break compares those texts, as GunDB does with
 * {@code JSON.stringify(value)}. Equality is equality of that text. A string or link value holds
 * only its JSON text, which is what the wire carries, and decodes the string or soul when asked:
 * the hot index holds a million of them, and the decoded copy beside the text was a third of a
 * hot field's bytes.
 */
public final class Value {

  /** What kind of value this is. */
  public enum Kind { NULL, STRING, NUMBER, BOOLEAN, LINK }

  /** The tombstone: a deleted field keeps its state and holds null. */
  public static final Value NULL = new Value(Kind.NULL, null, "null");
  /** {@code true}. */
  public static final Value TRUE = new Value(Kind.BOOLEAN, Boolean.TRUE, "true");
  /** {@code false}. */
  public static final Value FALSE = new Value(Kind.BOOLEAN, Boolean.FALSE, "false");

  private static final String LINK_START = "{\"#\":";

  private final Kind kind;
  private final Object payload;
  private final String json;

  private Value(Kind kind, Object payload, String json) {
    this.kind = kind;
    this.payload = payload;
    this.json = json;
  }

  /** A string value. */
  public static Value of(String s) {
    return new Value(Kind.STRING, null, JsJson.quote(Objects.requireNonNull(s, "string")));
  }

  /**
   * A number value.
   *
   * @throws IllegalArgumentException if {@code x} is NaN or infinite (JSON has no such numbers)
   */
  public static Value of(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("Expected a finite number but received " + x);
    }
    double normalized = x == 0 ? 0.0 : x; // JavaScript's JSON text has no -0
    return new Value(Kind.NUMBER, normalized, JsJson.number(normalized));
  }

  /** A boolean value. */
  public static Value of(boolean b) {
    return b ? TRUE : FALSE;
  }

  /** A link {@code {"#": soul}} to the node with that soul. */
  public static Value link(String soul) {
    Objects.requireNonNull(soul, "soul");
    return new Value(Kind.LINK, null, LINK_START + JsJson.quote(soul) + "}");
  }

  public Kind kind() {
    return kind;
  }

  /** The JSON text of this value as {@code JSON.stringify} writes it. */
  public String json() {
    return json;
  }

  public boolean isNull() {
    return kind == Kind.NULL;
  }

  public boolean isLink() {
    return kind == Kind.LINK;
  }

  /** The string of a STRING value (decoded from its JSON text at each call). */
  public String asString() {
    require(Kind.STRING);
    return JsJson.unquote(json);
  }

  /** The number of a NUMBER value. */
  public double asNumber() {
    return (Double) require(Kind.NUMBER);
  }

  /** The boolean of a BOOLEAN value. */
  public boolean asBoolean() {
    return (Boolean) require(Kind.BOOLEAN);
  }

  /** The target soul of a LINK value (decoded from its JSON text at each call). */
  public String linkSoul() {
    require(Kind.LINK);
    return JsJson.unquote(json.substring(LINK_START.length(), json.length() - 1));
  }

  private Object require(Kind expected) {
    if (kind != expected) {
      throw new IllegalStateException(
          "Expected a " + expected + " value but this is " + kind + ": " + json);
    }
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Value other && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json;
  }
}
