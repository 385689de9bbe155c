package io.soulgraph.libp2p.internal.yamux;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The send side of one yamux stream: writes wait here until the remote's window admits them.
 * Each write's future completes when its last byte has been framed. Event-loop only.
 */
final class YamuxSendQueue {
  private record PendingWrite(byte[] data, CompletableFuture<Void> done, int[] sent) {}

  private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();
  private long window = YamuxSession.INITIAL_WINDOW;

  void add(byte[] data, CompletableFuture<Void> done) {
    pending.add(new PendingWrite(data, done, new int[1]));
  }

  void credit(long delta) {
    window += delta;
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /**
   * Hands as many Data frame bodies to {@code send} as the window allows, each at most
   * {@link YamuxSession#MAX_SEND_FRAME} bytes.
   *
   * @return whether anything was sent
   */
  boolean drain(Consumer<byte[]> send) {
    boolean sent = false;
    while (!pending.isEmpty() && window > 0) {
      PendingWrite w = pending.peek();
      int from = w.sent()[0];
      int n = (int) Math.min(window, Math.min(w.data().length - from,
          YamuxSession.MAX_SEND_FRAME));
      send.accept(Arrays.copyOfRange(w.data(), from, from + n));
      sent = true;
      window -= n;
      w.sent()[0] += n;
      if (w.sent()[0] == w.data().length) {
        pending.poll();
        w.done().complete(null);
      }
    }
    return sent;
  }

  void failAll(RuntimeException e) {
    pending.forEach(w -> w.done().completeExceptionally(e));
    pending.clear();
  }
}
