package io.soulgraph.relay.sync;

import io.soulgraph.relay.gun.GetRequest;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.gun.GunMessage;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers every get: with the node (or the selected fields) if the store has it, else with the
 * not-found shape {@code {"#","@"}}. Subscribes the asker to the soul. Forwards the get, under its
 * original id, to GunDB relays ({@link Role#GUN_RELAY}) always, and, when we lack the data, to
 * Soulgraph peers and to other clients too (up to {@link #MAX_CLIENT_FORWARDS}; clients answer
 * from their own graphs: that is how gun fetches data only a client holds).
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
  private final Set<Session> sessions;
  private final Outbox outbox;

  GetHandler(
      SoulStore store, GunCodec codec, Subscriptions subs, Set<Session> sessions, Outbox outbox) {
    this.store = store;
    this.codec = codec;
    this.subscriptions = subs;
    this.sessions = sessions;
    this.outbox = outbox;
  }

  void handle(GunMessage.Get message, Session asker) {
    Graph found = Graph.EMPTY;
    if (message.request() != null) {
      GetRequest request = message.request();
      subscriptions.subscribe(asker, request.soul());
      found = lookup(request);
    }
    String replyId = outbox.newId();
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

  private void forward(GunMessage.Get message, Session asker, boolean lacking) {
    boolean toOthers = lacking && (asker.isPeer() || asker.budget().tryForwardGet());
    String text = null;
    int clients = 0;
    for (Session session : sessions) {
      if (session == asker || !asks(session.role(), toOthers, clients)) {
        continue;
      }
      clients += session.role() == Role.CLIENT ? 1 : 0;
      text = text == null ? codec.encode(message.raw()) : text;
      outbox.forward(session, "get", text);
    }
  }

  private static boolean asks(Role role, boolean toOthers, int clientsAsked) {
    return switch (role) {
      case GUN_RELAY -> true;
      case SOULGRAPH_PEER -> toOthers;
      case CLIENT -> toOthers && clientsAsked < MAX_CLIENT_FORWARDS;
    };
  }
}
