package io.soulgraph.relay.gun;

import io.soulgraph.graph.ChangeListener;
import io.soulgraph.graph.GraphJson;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes committed changes, as GunDB's AXE does: to every peer subscribed to a changed soul, as a
 * new message per peer holding only the changed fields of the souls that peer wants. Relays we
 * dialed get every change (flood, as GunDB relays with {@code axe:false} do). The peer a change
 * came from is skipped: it has it already.
 */
final class ChangeFanout implements ChangeListener {

  private final Subscriptions subscriptions;
  private final PeerRegistry peers;
  private final Outbox outbox;

  ChangeFanout(Subscriptions subscriptions, PeerRegistry peers, Outbox outbox) {
    this.subscriptions = subscriptions;
    this.peers = peers;
    this.outbox = outbox;
  }

  @Override
  public void onChange(Graph changes, Object origin) {
    Map<Peer, List<Node>> targets = new HashMap<>();
    for (Node node : changes.nodes().values()) {
      for (Peer peer : subscriptions.of(node.soul())) {
        if (peer != origin && !peer.isRelay()) {
          targets.computeIfAbsent(peer, p -> new ArrayList<>()).add(node);
        }
      }
    }
    for (Peer peer : peers.all()) {
      if (peer.isRelay() && peer != origin) {
        targets.put(peer, new ArrayList<>(changes.nodes().values()));
      }
    }
    targets.forEach(
        (peer, nodes) -> {
          String id = MessageIds.next();
          String graph = GraphJson.write(Graph.of(nodes.toArray(Node[]::new)));
          outbox.send(peer, "put", id, GunCodec.put(id, graph));
        });
  }
}
