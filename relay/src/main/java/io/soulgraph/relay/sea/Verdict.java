package io.soulgraph.relay.sea;

import io.soulgraph.ham.Graph;

/**
 * What {@link UserSpaceValidator} decided about one put graph.
 *
 * @param accepted the fields that passed, as a graph (all of the input when nothing was refused)
 * @param error GunDB's error text for the first refused field, or null if none was refused
 * @param refusedFields how many fields were refused
 * @param refusedOnLocalState true if every refused field was refused only by a rule that reads
 *     this relay's store (an alias another key already holds, a certificant on the owner's block
 *     list): a peer whose store differs may rightly have accepted them
 */
public record Verdict(Graph accepted, String error, int refusedFields, boolean refusedOnLocalState) {

  /** True if at least one field was refused. */
  public boolean refused() {
    return error != null;
  }

  /**
   * True if a field was refused for what it is (a forged or missing signature, a certificate that
   * does not cover it, a bad alias link or hash), not for what this relay's store holds: a peer
   * that sent it either forged it or relays forgeries, so a gossipsub validator answers REJECT;
   * when only {@link #refusedOnLocalState} fields were refused, IGNORE is fairer.
   */
  public boolean senderAtFault() {
    return refused() && !refusedOnLocalState;
  }
}
