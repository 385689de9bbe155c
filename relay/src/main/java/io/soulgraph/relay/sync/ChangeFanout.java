package io.soulgraph.relay.sync;

import io.soulgraph.graph.ChangeListener;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.relay.gun.GunCodec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes committed changes, as GunDB's AXE does, off the store's commit thread: the listener only
 * hands the change to the delivery executor. There each node is encoded once; a client subscribed
 * to a changed soul gets a put holding only the souls it wants (the full message, shared, when it
 * wants them all), and the change goes to every {@link ChangePublisher} with one put message for
 * all their receivers. Sessions that have the change already (the writer, the asker a get answer
 * was routed to) are skipped.
 */
final class ChangeFanout implements ChangeListener {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeFanout.class);

  private final Subscriptions subscriptions;
  private final Outbox outbox;
  private final Executor delivery;
  private final Iterable<ChangePublisher> publishers;

  ChangeFanout(
      Subscriptions subscriptions,
      Outbox outbox,
      Executor delivery,
      Iterable<ChangePublisher> publishers) {
    this.subscriptions = subscriptions;
    this.outbox = outbox;
    this.delivery = delivery;
    this.publishers = publishers;
  }

  @Override
  public void onChange(Graph changes, Object origin) {
    delivery.execute(
        () -> {
          try {
            deliver(changes, origin instanceof PutOrigin from ? from : null);
          } catch (RuntimeException bug) {
            LOG.error("Delivering a committed change failed", bug);
          }
        });
  }

  /**
   * Pushes a change a Soulgraph peer or gossipsub sent to the clients subscribed to its souls now,
   * before this relay commits it, on the caller's thread, and records them in {@code from} so
   * that the push after the commit skips them. Its sender holds the change already (a relay
   * committed it before publishing it), and waiting for this relay's own commit (a second fsync
   * in series) put the cross-relay fan-out at several times the single relay's. Clients merge
   * with HAM, so the fields of it this relay's commit does not take (older than what it has)
   * change nothing for them. If this relay fails to commit it, its clients have seen a value it
   * lacks until anti-entropy brings it back from the peer. Nothing is encoded when no client
   * wants it.
   */
  void pushEarly(Graph changes, PutOrigin from) {
    Map<Session, List<String>> wanted = wanted(changes, from);
    if (!wanted.isEmpty()) {
      from.pushedEarly().addAll(wanted.keySet());
      push(changes, wanted);
    }
  }

  private void deliver(Graph changes, PutOrigin from) {
    String whole = push(changes, wanted(changes, from));
    CommittedChange change =
        new CommittedChange(changes, whole, from == null ? null : from.writer());
    for (ChangePublisher publisher : publishers) {
      each(publisher, p -> p.publish(change));
    }
  }

  /** The souls of the change each subscribed client lacks, by client. */
  private Map<Session, List<String>> wanted(Graph changes, PutOrigin from) {
    Map<Session, List<String>> wanted = new IdentityHashMap<>();
    for (Node node : changes.nodes().values()) {
      for (Session session : subscriptions.of(node.soul())) {
        if (session.role() == Role.CLIENT && (from == null || !from.has(session))) {
          wanted.computeIfAbsent(session, s -> new ArrayList<>()).add(node.soul());
        }
      }
    }
    return wanted;
  }

  /** Pushes each client the souls it wants; returns the put message of the whole change. */
  private String push(Graph changes, Map<Session, List<String>> wanted) {
    Map<String, String> encoded = new LinkedHashMap<>();
    for (Node node : changes.nodes().values()) {
      encoded.put(node.soul(), GunCodec.nodeMember(node));
    }
    String id = outbox.newId();
    String whole = GunCodec.putOf(id, encoded.values());
    wanted.forEach(
        (session, souls) -> {
          if (souls.size() == encoded.size()) {
            outbox.forward(session, "put", whole);
          } else {
            String ownId = outbox.newId();
            List<String> parts = new ArrayList<>(souls.size());
            souls.forEach(soul -> parts.add(encoded.get(soul)));
            outbox.send(session, "put", ownId, GunCodec.putOf(ownId, parts));
          }
        });
    return whole;
  }

  private static void each(ChangePublisher publisher, Consumer<ChangePublisher> action) {
    try {
      action.accept(publisher);
    } catch (RuntimeException failure) {
      LOG.error("Publisher {} failed on a committed change", publisher, failure);
    }
  }
}
