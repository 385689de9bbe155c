package io.soulgraph.proptests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Replica;
import io.soulgraph.ham.Update;
import java.util.List;

/**
 * Anti-entropy between simulated {@link HamPeer}s, exactly as {@link Replica}'s Javadoc describes
 * it, checking on the way that a sender never sends a write the receiver had already seen.
 */
final class AntiEntropy {

  private AntiEntropy() {}

  /** Both ways round: each peer receives what the other has and it lacks. */
  static void exchange(Peer<Update> a, Peer<Update> b) {
    pull((HamPeer) a, (HamPeer) b);
    pull((HamPeer) b, (HamPeer) a);
  }

  /** The receiver sends its context; the sender answers with what is missing and its context. */
  static void pull(HamPeer receiver, HamPeer sender) {
    CausalContext had = receiver.replica().context();
    List<Update> missing = sender.replica().missingFor(had);
    CausalContext senderContext = sender.replica().context();
    for (Update update : missing) {
      assertFalse(had.contains(update.dot()),
          () -> "sent " + update + " whose dot the receiver's context " + had + " holds");
      assertFalse(receiver.decided().contains(update.dot()),
          () -> "sent " + update + " which " + receiver.replica().id() + " had decided");
    }
    receiver.replica().applyAntiEntropy(missing, senderContext);
  }

  /**
   * Rounds through peer 0 and back out (a star, twice), after which every peer has exchanged,
   * directly or through peer 0, with every other.
   */
  static void starRounds(List<Peer<Update>> peers) {
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 1; i < peers.size(); i++) {
        exchange(peers.get(0), peers.get(i));
      }
    }
  }

  /** After anti-entropy, no peer lacks anything another holds: missingFor is empty both ways. */
  static void assertNothingMissing(List<Peer<Update>> peers) {
    for (Peer<Update> a : peers) {
      for (Peer<Update> b : peers) {
        Replica from = ((HamPeer) a).replica();
        Replica to = ((HamPeer) b).replica();
        assertEquals(List.of(), from.missingFor(to.context()),
            () -> from.id() + " still has writes " + to.id() + " lacks");
      }
    }
  }
}
