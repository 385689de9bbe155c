package io.soulgraph.graph;

/** A diff broke the data model; nothing of it was applied. Its message names soul, field, why. */
public final class InvalidDiffException extends IllegalArgumentException {

  private final String soul;
  private final String field;

  public InvalidDiffException(String soul, String field, String reason) {
    super(describe(soul, field, reason));
    this.soul = soul;
    this.field = field;
  }

  private static String describe(String soul, String field, String reason) {
    StringBuilder out = new StringBuilder("Invalid diff");
    if (soul != null) {
      out.append(" at soul '").append(soul).append('\'');
    }
    if (field != null) {
      out.append(", field '").append(field).append('\'');
    }
    return out.append(": ").append(reason).toString();
  }

  /** The soul at fault, or null if the diff as a whole was malformed. */
  public String soul() {
    return soul;
  }

  /** The field at fault, or null. */
  public String field() {
    return field;
  }
}
