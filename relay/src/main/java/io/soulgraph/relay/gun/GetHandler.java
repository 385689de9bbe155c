package io.soulgraph.relay.gun;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Answers every get: with the node (or the selected fields) if the store has it, else with the
 * not-found shape {@code {"#","@"}}. Subscribes the asker to the soul. Forwards the get, under its
 * original id, to the relays we dialed, and, when we lack the data, to other connections too (up
 * to {@link #MAX_CLIENT_FORWARDS}; clients answer from their own graphs: that is how gun fetches
 * data only a client holds).
 */
final class GetHandler {

  /**
   * The most client connections one get is forwarded to, so that one get cannot be amplified
   * into a frame for every connection (GunDB's AXE also asks a few peers at a time).
   */
  static final int MAX_CLIENT_FORWARDS = 32;

  private final SoulStore store;
  private final GunCodec codec;
  private final Subscriptions subscriptions;
  private final PeerRegistry peers;
  private final Outbox outbox;

  GetHandler(
      SoulStore store, GunCodec codec, Subscriptions subs, PeerRegistry peers, Outbox outbox) {
    this.store = store;
    this.codec = codec;
    this.subscriptions = subs;
    this.peers = peers;
    this.outbox = outbox;
  }

  void handle(GunMessage message, Peer asker) {
    Graph found = Graph.EMPTY;
    if (message.get() != null) {
      GetRequest request = message.get();
      subscriptions.subscribe(asker, request.soul());
      found = lookup(request);
    }
    String replyId = MessageIds.next();
    String reply =
        found.isEmpty()
            ? GunCodec.notFound(replyId, message.id())
            : GunCodec.reply(replyId, message.id(), found);
    outbox.send(asker, "reply", replyId, reply);
    forward(message, asker, found.isEmpty());
  }

  private Graph lookup(GetRequest request) {
    if (request.field() instanceof GetRequest.Exact exact) {
      Optional<FieldState> field = store.field(request.soul(), exact.name());
      return field
          .map(state -> Graph.of(new Node(request.soul(), Map.of(exact.name(), state))))
          .orElse(Graph.EMPTY);
    }
    Optional<Node> node = store.node(request.soul());
    if (node.isEmpty()) {
      return Graph.EMPTY;
    }
    if (request.field() == null) {
      return Graph.of(node.get());
    }
    Map<String, FieldState> selected = new LinkedHashMap<>();
    node.get()
        .fields()
        .forEach(
            (name, state) -> {
              if (request.field().matches(name)) {
                selected.put(name, state);
              }
            });
    return selected.isEmpty() ? Graph.EMPTY : Graph.of(new Node(request.soul(), selected));
  }

  private void forward(GunMessage message, Peer asker, boolean lacking) {
    boolean toClients = lacking && (asker.isRelay() || asker.budget().tryForwardGet());
    String text = null;
    int clients = 0;
    for (Peer peer : peers.all()) {
      if (peer == asker || !(peer.isRelay() || (toClients && clients < MAX_CLIENT_FORWARDS))) {
        continue;
      }
      clients += peer.isRelay() ? 0 : 1;
      text = text == null ? codec.encode(message.raw()) : text;
      outbox.forward(peer, "get", text);
    }
  }
}
