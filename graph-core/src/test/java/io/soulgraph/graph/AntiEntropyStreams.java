package io.soulgraph.graph;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Anti-entropy between stores as a peer runs it: the cursor's batches, the context with the last. */
final class AntiEntropyStreams {

  private AntiEntropyStreams() {}

  /** Every batch of the cursor, closed after; fails if a batch is over its bound or empty early. */
  static List<Update> all(UpdateCursor cursor, int maxBatch) {
    List<Update> all = new ArrayList<>();
    try (cursor) {
      for (List<Update> batch = cursor.next(); !batch.isEmpty(); batch = cursor.next()) {
        if (batch.size() > maxBatch) {
          throw new AssertionError("a batch of " + batch.size() + " > " + maxBatch);
        }
        all.addAll(batch);
      }
    }
    return all;
  }

  /** {@code receiver} pulls what it lacks from {@code sender}, {@code maxBatch} at a time. */
  static void pull(SoulStore receiver, SoulStore sender, int maxBatch) throws Exception {
    CausalContext senderContext = sender.context();
    try (UpdateCursor cursor = sender.missingFor(receiver.context(), maxBatch)) {
      List<Update> batch = cursor.next();
      while (true) {
        List<Update> following = batch.isEmpty() ? List.of() : cursor.next();
        boolean last = following.isEmpty();
        receiver.applyAntiEntropy(batch, last ? senderContext : null).get(30, TimeUnit.SECONDS);
        if (last) {
          return;
        }
        batch = following;
      }
    }
  }
}
