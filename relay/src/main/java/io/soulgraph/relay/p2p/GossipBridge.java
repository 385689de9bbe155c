package io.soulgraph.relay.p2p;

import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.ham.Graph;
import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.pubsub.PubsubApi;
import io.soulgraph.libp2p.pubsub.PubsubMessage;
import io.soulgraph.libp2p.pubsub.ValidationResult;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.sea.Verdict;
import io.soulgraph.relay.sync.ChangePublisher;
import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Link;
import io.soulgraph.relay.sync.Role;
import io.soulgraph.relay.sync.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live changes over gossipsub, both ways. Out: every change the core commits is published once on
 * the network's topic ({@link #publisher()}), unless it came from the topic. In: a message must be
 * a well-formed put ({@link GossipPuts}) or it is rejected, so gossipsub does not forward it; then
 * it goes to the core on a session of its publisher's own (the peer that signed it), whose link
 * drops what the core says back, so a hostile peer runs into the same per-connection budgets and
 * strikes as a WebSocket client. When the core disconnects such a session, the peer's libp2p
 * connections are closed and its messages rejected for a while.
 */
final class GossipBridge {

  private static final Logger LOG = LoggerFactory.getLogger(GossipBridge.class);

  private final SyncEngine engine;
  private final PubsubApi pubsub;
  private final String topic;
  private final int maxMessageBytes;
  private final long maxPendingBytes;
  private final int maxSessions;
  private final Duration banTime;
  private final Duration idleTime;
  private final Executor executor;
  private final RelayMetrics metrics;
  private final Supplier<Host> host;
  private final UserSpaceCheck userSpace;
  private final Map<PeerId, PeerSession> sessions = new ConcurrentHashMap<>();
  private final Map<PeerId, Long> bannedUntil = new ConcurrentHashMap<>();
  private final GossipOutbox outbox;

  GossipBridge(
      SyncEngine engine,
      PubsubApi pubsub,
      String topic,
      Limits limits,
      Executor executor,
      RelayMetrics metrics,
      Supplier<Host> host,
      UserSpaceCheck userSpace) {
    this.engine = engine;
    this.userSpace = userSpace;
    this.pubsub = pubsub;
    this.topic = topic;
    this.maxMessageBytes = limits.maxMessageBytes();
    this.maxPendingBytes = limits.maxPendingBytes();
    this.maxSessions = limits.maxSessions();
    this.banTime = limits.banTime();
    this.idleTime = limits.idleTime();
    this.executor = executor;
    this.metrics = metrics;
    this.host = host;
    this.outbox = new GossipOutbox(executor, this::publish);
  }

  /**
   * The bridge's bounds.
   *
   * @param maxMessageBytes the largest message published or accepted
   * @param maxPendingBytes bytes of one peer's messages waiting for the core; beyond, dropped
   * @param maxSessions peers with a session at once; messages of further peers are ignored
   * @param banTime how long a peer the core disconnected stays refused
   * @param idleTime a peer's session ends after this long without a message
   */
  record Limits(
      int maxMessageBytes, long maxPendingBytes, int maxSessions, Duration banTime,
      Duration idleTime) {}

  /**
   * SEA's verdict on a well-formed put graph, synchronously, before gossipsub forwards it: a
   * forged write is rejected at the first relay instead of crossing the mesh.
   */
  @FunctionalInterface
  interface UserSpaceCheck {
    /** ACCEPT, REJECT (the sender forged or relays forgeries) or IGNORE. */
    ValidationResult check(com.fasterxml.jackson.databind.JsonNode put);

    /** Checks nothing (no SEA validator given). */
    UserSpaceCheck NONE = put -> ValidationResult.ACCEPT;

    /** {@code validator}'s verdict, as docs/user-space.md maps it to gossipsub. */
    static UserSpaceCheck of(UserSpaceValidator validator) {
      return put -> {
        Graph graph;
        try {
          graph = GunCodec.readGraph(put);
        } catch (RuntimeException e) {
          return ValidationResult.REJECT;
        }
        if (!UserSpaceValidator.needsChecking(graph)) {
          return ValidationResult.ACCEPT;
        }
        Verdict verdict = validator.check(graph);
        if (!verdict.refused()) {
          return ValidationResult.ACCEPT;
        }
        return verdict.senderAtFault() ? ValidationResult.REJECT : ValidationResult.IGNORE;
      };
    }
  }

  /** Subscribes to the topic with the validator; call once, after the host started. */
  void start() {
    pubsub.setValidator(topic, this::validate);
    pubsub.subscribe(topic, this::deliver);
  }

  /**
   * Publishes committed changes to the topic (joined when they queue up: {@link GossipOutbox}),
   * except those that came from the topic: the message that carried such a change is on the topic
   * already, and gossipsub forwarded it to this relay's mesh once the validator accepted it.
   * Publishing it again would send every change back to its writer once per neighbour, each echo
   * signed here and verified there only for HAM to find it equal; on a busy pair that doubled
   * the signatures and verifications per change.
   *
   * <p>A relay with no libp2p connection publishes nothing: gossipsub would send the change to no
   * one and no one could ask for it later, and a peer that connects catches up on its sync stream.
   * Handing each change to the publishing thread anyway kept that thread at 2-3 % of a core in a
   * standalone relay at saturation.
   */
  ChangePublisher publisher() {
    return change -> {
      if (!cameFromTheTopic(change.origin()) && pubsub.reachesPeers()) {
        outbox.offer(change);
      }
    };
  }

  private static boolean cameFromTheTopic(Session origin) {
    return origin != null && origin.link() instanceof PeerSession;
  }

  private void publish(String putMessage) {
    byte[] data = putMessage.getBytes(StandardCharsets.UTF_8);
    if (data.length > maxMessageBytes) {
      LOG.warn(
          "a committed change of {} bytes is over the gossip limit of {}; peers get it by catch-up",
          data.length,
          maxMessageBytes);
      metrics.gossipOut("too_big");
      return;
    }
    try {
      pubsub.publish(topic, data).whenComplete((peers, error) -> {
        if (error != null) {
          LOG.warn("publishing a change on {} failed: {}", topic, error.getMessage());
          metrics.gossipOut("failed");
        } else {
          metrics.gossipOut("published");
        }
      });
    } catch (IllegalStateException e) {
      LOG.debug("not publishing on {}: {}", topic, e.getMessage());
    }
  }

  /** Gossipsub's validator for the topic: runs on the router thread, must be quick. */
  ValidationResult validate(PubsubMessage message) {
    PeerId from = message.from();
    Long until = bannedUntil.get(from);
    if (until != null) {
      if (System.nanoTime() - until < 0) {
        metrics.gossipIn("rejected");
        return ValidationResult.REJECT;
      }
      bannedUntil.remove(from, until);
    }
    GossipPuts.Checked checked = GossipPuts.check(message.data(), maxMessageBytes);
    if (checked.problem() != null) {
      LOG.debug("rejecting a gossip message from {} (via {}): {}", from, message.receivedFrom(),
          checked.problem());
      metrics.gossipIn("rejected");
      return ValidationResult.REJECT;
    }
    ValidationResult signatures = userSpace.check(checked.put());
    if (signatures != ValidationResult.ACCEPT) {
      LOG.debug("{} a gossip message from {} (via {}): SEA refused a field", signatures, from,
          message.receivedFrom());
      metrics.gossipIn(signatures == ValidationResult.REJECT ? "rejected" : "ignored");
      return signatures;
    }
    if (!sessions.containsKey(from) && sessions.size() >= maxSessions) {
      metrics.gossipIn("ignored");
      return ValidationResult.IGNORE;
    }
    return ValidationResult.ACCEPT;
  }

  /** A validated message: to the core, on its publisher's session, in order. */
  void deliver(PubsubMessage message) {
    PeerSession peer = sessions.computeIfAbsent(message.from(), this::openSession);
    if (peer.session == null) {
      sessions.remove(message.from(), peer);
      metrics.gossipIn("ignored");
      return;
    }
    peer.lastMessage = System.nanoTime();
    String text = new String(message.data(), StandardCharsets.UTF_8);
    Session session = peer.session;
    if (peer.queue.offer(() -> engine.receive(session, text), text.length())) {
      metrics.gossipIn("accepted");
    } else {
      LOG.warn("dropping a gossip message from {}: more than {} bytes of its messages wait",
          message.from(), maxPendingBytes);
      metrics.gossipIn("dropped");
    }
  }

  private PeerSession openSession(PeerId peer) {
    PeerSession peerSession = new PeerSession(peer);
    peerSession.session = engine.open(peerSession, Role.CLIENT);
    return peerSession;
  }

  /** Ends the sessions of peers that sent nothing for the idle time (call periodically). */
  void sweep() {
    long now = System.nanoTime();
    for (PeerSession peer : List.copyOf(sessions.values())) {
      if (now - peer.lastMessage > idleTime.toNanos() && sessions.remove(peer.peer, peer)) {
        peer.queue.always(() -> engine.close(peer.session));
      }
    }
    bannedUntil.values().removeIf(until -> now - until > 0);
  }

  /** Ends every session (the relay is stopping). */
  void closeAll() {
    outbox.close();
    for (PeerSession peer : List.copyOf(sessions.values())) {
      if (sessions.remove(peer.peer, peer) && peer.session != null) {
        peer.queue.always(() -> engine.close(peer.session));
      }
    }
  }

  /** Peers with a gossip session now. */
  int sessionCount() {
    return sessions.size();
  }

  /** One publishing peer as the core sees it: a link that cannot be written to. */
  private final class PeerSession implements Link {
    private final PeerId peer;
    private final SerialQueue queue = new SerialQueue(executor, maxPendingBytes);
    private volatile Session session;
    private volatile long lastMessage = System.nanoTime();

    PeerSession(PeerId peer) {
      this.peer = peer;
    }

    @Override
    public String describe() {
      return "gossip:" + peer;
    }

    @Override
    public void write(String frame, Runnable written) {
      // Replies (acks, errors) have nowhere to go on a topic.
      written.run();
    }

    @Override
    public void disconnect(Disconnect reason, String text) {
      LOG.warn("refusing gossip from {} for {} s and closing its connections: {} ({})",
          peer, banTime.toSeconds(), text, reason);
      bannedUntil.put(peer, System.nanoTime() + banTime.toNanos());
      if (sessions.remove(peer, this) && session != null) {
        Session ended = session;
        queue.always(() -> engine.close(ended));
      }
      Host h = host.get();
      if (h != null) {
        for (Connection connection : h.connections()) {
          if (connection.remotePeer().equals(peer)) {
            connection.close();
          }
        }
      }
    }

    @Override
    public boolean liveChangesElsewhere() {
      return true;
    }

    @Override
    public boolean sendsHeldChanges() {
      return true;
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
