package io.soulgraph.proptests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Replica;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Anti-entropy between simulated peers ({@link HamPeer}s and {@link StorePeer}s alike), exactly as
 * {@link Replica}'s Javadoc describes it, streamed in small batches, checking on the way that a
 * sender never sends a write the receiver had already seen.
 */
final class AntiEntropy {

  private AntiEntropy() {}

  /** Both ways round: each peer receives what the other has and it lacks. */
  static void exchange(Peer<Update> a, Peer<Update> b) {
    pull((SyncPeer) a, (SyncPeer) b);
    pull((SyncPeer) b, (SyncPeer) a);
  }

  /** Small, so that streams of several batches are the common case. */
  static final int BATCH = 2;

  /**
   * The receiver sends its context; the sender takes its own context, then streams what is
   * missing in batches of {@link #BATCH}, its context with the last.
   */
  static void pull(SyncPeer receiver, SyncPeer sender) {
    CausalContext had = receiver.context();
    CausalContext senderContext = sender.context();
    try (UpdateCursor cursor = sender.missingFor(had, BATCH)) {
      List<Update> batch = cursor.next();
      while (true) {
        checkNotSeen(receiver, had, batch);
        List<Update> following = batch.isEmpty() ? List.of() : cursor.next();
        boolean last = following.isEmpty();
        receiver.applyAntiEntropy(batch, last ? senderContext : null);
        if (last) {
          return;
        }
        batch = following;
      }
    }
  }

  private static void checkNotSeen(SyncPeer receiver, CausalContext had, List<Update> batch) {
    assertTrue(batch.size() <= BATCH, () -> "a batch of " + batch.size());
    for (Update update : batch) {
      assertFalse(had.contains(update.dot()),
          () -> "sent " + update + " whose dot the receiver's context " + had + " holds");
      assertFalse(receiver.decided().contains(update.dot()),
          () -> "sent " + update + " which " + receiver.id() + " had decided");
    }
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
        SyncPeer from = (SyncPeer) a;
        SyncPeer to = (SyncPeer) b;
        assertEquals(List.of(), all(from.missingFor(to.context(), BATCH)),
            () -> from.id() + " still has writes " + to.id() + " lacks");
      }
    }
  }

  private static List<Update> all(UpdateCursor cursor) {
    List<Update> all = new ArrayList<>();
    try (cursor) {
      for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
        all.addAll(batch);
      }
    }
    return all;
  }
}
