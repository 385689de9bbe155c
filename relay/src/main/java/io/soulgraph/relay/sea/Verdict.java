package io.soulgraph.relay.sea;

import io.soulgraph.ham.Graph;

/**
 * What {@link UserSpaceValidator} decided about one put graph.
 *
 * @param accepted the fields that passed, as a graph (all of the input when nothing was refused)
 * @param error GunDB's error text for the first refused field, or null if none was refused
 * @param refusedFields how many fields were refused
 */
public record Verdict(Graph accepted, String error, int refusedFields) {

  /** True if at least one field was refused. */
  public boolean refused() {
    return error != null;
  }
}
