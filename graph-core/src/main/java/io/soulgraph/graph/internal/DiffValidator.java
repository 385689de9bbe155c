package io.soulgraph.graph.internal;

import io.soulgraph.graph.InvalidDiffException;
import io.soulgraph.graph.PutRefusedException;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import java.util.List;
import java.util.Map;

/**
 * What the data model forbids beyond what {@link Graph} and {@link FieldState} already enforce:
 * empty or overlong souls (also as link targets), empty field names and the field name
 * {@code _} (Gun's metadata key, never data).
 */
final class DiffValidator {

  private final int maxSoulLength;
  private final int maxNodeFields;

  DiffValidator(int maxSoulLength, int maxNodeFields) {
    this.maxSoulLength = maxSoulLength;
    this.maxNodeFields = maxNodeFields;
  }

  void validate(Graph diff) {
    for (Node node : diff.nodes().values()) {
      checkSoul(node.soul(), null, node.soul());
      if (node.fields().size() > maxNodeFields) {
        throw new PutRefusedException("Expected a node of at most " + maxNodeFields
            + " fields but '" + node.soul() + "' has " + node.fields().size()
            + "; nothing of this put was applied");
      }
      for (Map.Entry<String, FieldState> e : node.fields().entrySet()) {
        checkField(node.soul(), e.getKey(), e.getValue());
      }
    }
  }

  void validate(List<Update> updates) {
    for (Update update : updates) {
      checkSoul(update.soul(), null, update.soul());
      checkField(update.soul(), update.field(), update.fieldState());
    }
  }

  private void checkField(String soul, String field, FieldState state) {
    if (field.isEmpty()) {
      throw new InvalidDiffException(soul, field, "Expected a non-empty field name");
    }
    if (field.equals("_")) {
      throw new InvalidDiffException(soul, field,
          "Expected a data field but received '_', Gun's metadata key");
    }
    if (state.value().isLink()) {
      checkSoul(soul, field, state.value().linkSoul());
    }
  }

  private void checkSoul(String soul, String field, String candidate) {
    String what = field == null ? "soul" : "link target soul";
    if (candidate.isEmpty()) {
      throw new InvalidDiffException(soul, field, "Expected a non-empty " + what);
    }
    if (candidate.length() > maxSoulLength) {
      throw new InvalidDiffException(soul, field, "Expected a " + what + " of at most "
          + maxSoulLength + " characters but received " + candidate.length());
    }
  }
}
