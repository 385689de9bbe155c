package io.soulgraph.ham;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HAM applied to a whole diff: which of its fields to apply now, which to hold until their state
 * comes, and how many were ignored. The caller (an in-memory replica, or a durable store with its
 * own lookup) applies {@link #accepted} and holds {@link #deferred}.
 *
 * @param accepted fields that win against the current ones; apply them
 * @param deferred fields whose state is ahead of the machine; decide again when it is reached
 * @param historical how many fields lost (older, or equal state with a smaller JSON text)
 * @param equal how many fields were already present exactly
 */
public record Resolution(Graph accepted, Graph deferred, int historical, int equal) {

  /** Where the current state of a field comes from. */
  @FunctionalInterface
  public interface FieldLookup {
    /** The current field, or {@code null} if there is none. */
    FieldState current(String soul, String field);
  }

  /** Resolves every field of {@code diff} against {@code current} with {@link Ham#resolve}. */
  public static Resolution of(Graph diff, FieldLookup current, double machineState, double drift) {
    Map<String, Node> accepted = new LinkedHashMap<>();
    Map<String, Node> deferred = new LinkedHashMap<>();
    int historical = 0;
    int equal = 0;
    for (Node node : diff.nodes().values()) {
      Map<String, FieldState> acceptedFields = new LinkedHashMap<>();
      Map<String, FieldState> deferredFields = new LinkedHashMap<>();
      for (Map.Entry<String, FieldState> e : node.fields().entrySet()) {
        FieldState incoming = e.getValue();
        HamDecision decision =
            Ham.resolve(incoming, current.current(node.soul(), e.getKey()), machineState, drift);
        switch (decision.outcome()) {
          case ACCEPT -> acceptedFields.put(e.getKey(), incoming);
          case DEFER -> deferredFields.put(e.getKey(), incoming);
          case HISTORICAL -> historical++;
          case EQUAL -> equal++;
          default -> throw new IllegalStateException("Unknown HAM outcome " + decision);
        }
      }
      if (!acceptedFields.isEmpty()) {
        accepted.put(node.soul(), new Node(node.soul(), acceptedFields));
      }
      if (!deferredFields.isEmpty()) {
        deferred.put(node.soul(), new Node(node.soul(), deferredFields));
      }
    }
    return new Resolution(new Graph(accepted), new Graph(deferred), historical, equal);
  }

  /** True if nothing is to be applied now. */
  public boolean nothingAccepted() {
    return accepted.isEmpty();
  }
}
