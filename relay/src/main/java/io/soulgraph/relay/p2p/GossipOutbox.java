package io.soulgraph.relay.p2p;

import io.soulgraph.ham.Node;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.gun.MessageIds;
import io.soulgraph.relay.sync.CommittedChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed changes on their way to the gossip topic, off the core's delivery thread (signing a
 * message would hold up the pushes to this relay's own subscribers). A change waiting alone is
 * published at once, as its own put message; changes that queued up while the previous message
 * was being signed are joined (HAM's join, per field) into one put message of at most
 * {@link #MAX_JOINED_FIELDS} fields and {@link #MAX_JOINED_CHARS} characters. So an idle relay
 * adds no delay, and a busy one signs, sends, verifies and commits one message per batch of
 * changes instead of one per change; each peer's relay applies the joined put as one.
 *
 * <p>Memory is bounded: past {@link #MAX_WAITING_CHARS} of waiting changes, {@link #offer} blocks
 * the delivery thread until the publisher catches up, as signing on it did before.
 */
final class GossipOutbox {

  private static final Logger LOG = LoggerFactory.getLogger(GossipOutbox.class);

  /** The most fields in one joined message: a receiving relay commits it in a few pieces. */
  static final int MAX_JOINED_FIELDS = 256;

  /** The most characters of one joined message: well under a relay's default put limit. */
  static final int MAX_JOINED_CHARS = 64 * 1024;

  /** The most characters of changes waiting before {@link #offer} blocks. */
  static final long MAX_WAITING_CHARS = 16L * 1024 * 1024;

  private final Executor executor;
  private final Consumer<String> publish;
  private final ArrayDeque<CommittedChange> waiting = new ArrayDeque<>();
  private long waitingChars;
  private boolean draining;
  private boolean closed;

  /** Publishes each message with {@code publish}, on {@code executor}. */
  GossipOutbox(Executor executor, Consumer<String> publish) {
    this.executor = executor;
    this.publish = publish;
  }

  /** Queues a committed change; blocks while too much waits (never once closed). */
  void offer(CommittedChange change) {
    synchronized (this) {
      while (waitingChars > MAX_WAITING_CHARS && !closed) {
        try {
          wait(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (closed) {
        return;
      }
      waiting.add(change);
      waitingChars += change.putMessage().length();
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException stopping) {
      close();
    }
  }

  /** Drops what waits and publishes nothing more (the relay is stopping). */
  synchronized void close() {
    closed = true;
    waiting.clear();
    waitingChars = 0;
    notifyAll();
  }

  private void drain() {
    while (true) {
      List<CommittedChange> next = List.of();
      synchronized (this) {
        try {
          next = takeNext();
        } finally {
          if (next.isEmpty()) {
            draining = false; // also after a bug in takeNext: the next offer drains again
          }
        }
        if (next.isEmpty()) {
          return;
        }
        notifyAll();
      }
      try {
        publish.accept(next.size() == 1 ? next.get(0).putMessage() : joined(next));
      } catch (RuntimeException e) {
        LOG.error("Publishing {} committed changes failed", next.size(), e);
      }
    }
  }

  /** The next changes to publish as one message: the first, and those that fit beside it. */
  private List<CommittedChange> takeNext() {
    List<CommittedChange> next = new ArrayList<>();
    int fields = 0;
    int chars = 0;
    while (!waiting.isEmpty()) {
      CommittedChange change = waiting.peek();
      int moreFields = change.graph().fieldCount();
      int moreChars = change.putMessage().length();
      if (!next.isEmpty()
          && (fields + moreFields > MAX_JOINED_FIELDS || chars + moreChars > MAX_JOINED_CHARS)) {
        break;
      }
      next.add(waiting.poll());
      waitingChars -= moreChars;
      fields += moreFields;
      chars += moreChars;
    }
    return next;
  }

  /** One put message holding the join of the changes' graphs. */
  static String joined(List<CommittedChange> changes) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (CommittedChange change : changes) {
      change.graph().nodes().forEach((soul, node) -> nodes.merge(soul, node, Node::join));
    }
    List<String> members = new ArrayList<>(nodes.size());
    for (Node node : nodes.values()) {
      members.add(GunCodec.nodeMember(node));
    }
    return GunCodec.putOf(MessageIds.next(), members);
  }
}
