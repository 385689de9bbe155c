package io.soulgraph.graph.internal;

import java.util.Comparator;
import java.util.Locale;
import java.util.Set;

/**
 * Reversible escaping of Gun field names into JanusGraph relation-type names. Ordinary names pass
 * through unchanged, so Gremlin users write {@code values('name')} and {@code out('friend')}.
 *
 * <p>Escapes: {@code %}, <code>{</code>, <code>}</code>, {@code "}, U+001E anywhere and {@code ~}
 * at the start become {@code %XX} (two hex digits); a blank name gets its first character escaped
 * ({@code %XX} or {@code %uXXXX}); a name that is (case-insensitively) reserved by JanusGraph, or
 * is {@code soul}, gets the prefix {@code %!}. Because a literal {@code %} is always escaped, the
 * internal names ({@code %ham}, {@code %meta}, ...) and the prefixes {@code %!}, {@code %:},
 * {@code %>}, {@code %h:} can never be produced from a user's field.
 *
 * <p>A field's durable HAM entry is kept in the internal property {@link #entryKey}: {@code %h:}
 * and one of {@link #ENTRY_BUCKETS} bucket numbers, a hash of the field's name, so a write
 * rewrites only the buckets of the fields it changes and the schema holds a bounded number of
 * entry keys however many field names there are (docs/data-model.md).
 */
public final class FieldNames {

  private static final Set<String> RESERVED =
      Set.of("key", "label", "id", "value", "vertex", "edge", "element", "property", "soul");
  private static final String RESERVED_PREFIX = "%!";
  /** The prefix of the internal property keys that hold fields' HAM entries. */
  public static final String ENTRY_PREFIX = "%h:";
  /** How many entry keys there are at most: a node's fields are spread over them by name. */
  public static final int ENTRY_BUCKETS = 1024;

  private FieldNames() {}

  /** The JanusGraph name for a field. */
  public static String escape(String field) {
    if (field.isEmpty()) {
      throw new IllegalArgumentException("Expected a non-empty field name but received ''");
    }
    StringBuilder out = new StringBuilder(field.length() + 4);
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (mustEscape(c, i) || (i == 0 && field.isBlank())) {
        appendEscaped(out, c);
      } else {
        out.append(c);
      }
    }
    String escaped = out.toString();
    boolean reserved = RESERVED.contains(escaped.toLowerCase(Locale.ROOT));
    return reserved ? RESERVED_PREFIX + escaped : escaped;
  }

  /** The field a JanusGraph name came from: the inverse of {@link #escape}. */
  public static String unescape(String name) {
    String body = name.startsWith(RESERVED_PREFIX) ? name.substring(2) : name;
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '%') {
        out.append(c);
      } else if (i + 1 < body.length() && body.charAt(i + 1) == 'u') {
        out.append((char) Integer.parseInt(body.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
        i += 2;
      }
    }
    return out.toString();
  }

  /**
   * The internal property key holding a field's HAM entry (with those of the node's other fields
   * in the same bucket): {@code %h:} and the bucket, {@link String#hashCode} of the name (the same
   * in every JVM) modulo {@link #ENTRY_BUCKETS}.
   */
  public static String entryKey(String field) {
    return ENTRY_PREFIX + entryBucket(field);
  }

  static int entryBucket(String field) {
    return Math.floorMod(field.hashCode(), ENTRY_BUCKETS);
  }

  /** Field names by entry bucket: the fields whose entries one property holds come together. */
  static final Comparator<String> BY_ENTRY_BUCKET =
      Comparator.comparingInt(FieldNames::entryBucket);

  /** Whether a JanusGraph property key is an entry key. */
  public static boolean isEntryKey(String name) {
    return name.startsWith(ENTRY_PREFIX);
  }

  private static boolean mustEscape(char c, int index) {
    return c == '%' || c == '{' || c == '}' || c == '"' || c == '\u001e'
        || (index == 0 && c == '~');
  }

  private static void appendEscaped(StringBuilder out, char c) {
    if (c < 0x100) {
      out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
    } else {
      out.append("%u").append(String.format(Locale.ROOT, "%04X", (int) c));
    }
  }
}
