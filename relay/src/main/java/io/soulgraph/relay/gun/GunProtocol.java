package io.soulgraph.relay.gun;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.graph.InvalidDiffException;
import io.soulgraph.graph.PutRefusedException;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gun wire protocol, independent of any transport: transports call {@link #open}, {@link
 * #receive} with each text frame, and {@link #close}; everything the relay says goes out through
 * {@link Peer#send}. De-duplicates message ids across all connections, routes replies by {@code @},
 * answers handshakes and gets, stores and acks puts, and pushes committed changes (see {@link
 * GetHandler}, {@link PutHandler}, {@link ChangeFanout}). Bad input is answered with {@code err},
 * and repeated abuse closes only the offender ({@link CloseCodes}). Thread-safe.
 */
public final class GunProtocol implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GunProtocol.class);
  private static final int RESUBSCRIBE_BATCH = 100;

  private final GunCodec codec;
  private final MessageLog log;
  private final Subscriptions subscriptions;
  private final PeerRegistry peers = new PeerRegistry();
  private final Outbox outbox;
  private final GetHandler gets;
  private final PutHandler puts;
  private final RelayMetrics metrics;
  private final GunLimits limits;
  private final String pid;
  private final AutoCloseable storeSubscription;
  private final UserSpaceValidator validator;

  /**
   * A protocol with its own SEA validator (one crypto thread per core), closed with it.
   *
   * @param pid this relay's DAM peer id
   */
  public GunProtocol(SoulStore store, GunLimits limits, RelayMetrics metrics, String pid) {
    this(store, limits, metrics, pid, UserSpaceValidator.withDefaultPool(store::node));
  }

  /**
   * @param pid this relay's DAM peer id
   * @param validator checks every put before it is merged (closed with this protocol)
   */
  public GunProtocol(
      SoulStore store,
      GunLimits limits,
      RelayMetrics metrics,
      String pid,
      UserSpaceValidator validator) {
    this.codec = new GunCodec(limits);
    this.log = new MessageLog(limits.dedupWindow(), 1_000_000,
        limits.memory().messageLogBytes(), System::nanoTime);
    this.subscriptions = new Subscriptions(limits.maxSubscriptions(),
        limits.memory().maxSubscriptionBytes());
    this.outbox = new Outbox(metrics, log);
    this.gets = new GetHandler(store, codec, subscriptions, peers, outbox);
    this.validator = validator;
    this.puts = new PutHandler(store, log, outbox, metrics, validator, limits.memory());
    this.metrics = metrics;
    this.limits = limits;
    this.pid = pid;
    this.storeSubscription = store.subscribe(new ChangeFanout(subscriptions, peers, outbox));
  }

  /**
   * A connection opened: greets it with a {@code dam:"?"} handshake.
   *
   * @return false if the relay is at its connection limit (the caller closes the connection)
   */
  public boolean open(Peer peer) {
    if (peers.size() >= limits.maxConnections()) {
      metrics.error("connections");
      return false;
    }
    peers.add(peer);
    metrics.connections(1);
    String id = MessageIds.next();
    outbox.send(peer, "dam", id, GunCodec.hello(id, pid));
    if (peer.isRelay()) {
      askForSubscribedSouls(peer);
    }
    return true;
  }

  /**
   * Asks a (re)connected peer relay for every soul our peers are subscribed to, so that it pushes
   * their later changes to us and we catch up on what changed while the link was down. Answers
   * are stored and pushed to our subscribers like any change.
   */
  private void askForSubscribedSouls(Peer relay) {
    List<String> batch = new java.util.ArrayList<>();
    for (String soul : subscriptions.souls()) {
      String id = MessageIds.next();
      log.recordOwn(id);
      batch.add(GunCodec.get(id, soul, null));
      if (batch.size() == RESUBSCRIBE_BATCH) {
        outbox.forward(relay, "get", GunCodec.batch(batch));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      outbox.forward(relay, "get", GunCodec.batch(batch));
    }
  }

  /** A connection closed: forgets its subscriptions. Replies routed to it are dropped. */
  public void close(Peer peer) {
    if (peers.remove(peer)) {
      metrics.connections(-1);
    }
    subscriptions.remove(peer);
  }

  /** Handles one text frame from a peer: one message, or an array of them. */
  public void receive(Peer peer, String frame) {
    if (peer.budget().expelled()) {
      return;
    }
    List<ObjectNode> messages;
    try {
      messages = codec.decodeFrame(frame);
    } catch (RuntimeException failure) {
      fail(peer, null, failure);
      return;
    }
    for (ObjectNode message : messages) {
      if (peer.budget().expelled()) {
        return;
      }
      String id = codec.idOf(message);
      try {
        if (!peer.isRelay()) {
          peer.budget().takeMessage(); // dialed relays carry many clients' traffic
        }
        GunMessage decoded = codec.decode(message, MessageIds.next());
        id = decoded.id();
        if (log.firstSeen(id, peer)) {
          dispatch(decoded, peer);
        }
      } catch (RuntimeException failure) {
        fail(peer, id, failure);
      }
    }
  }

  private void dispatch(GunMessage message, Peer peer) {
    if (message.isPut()) {
      metrics.messageIn(message.replyTo() == null ? "put" : "reply");
      puts.handle(message, peer);
    } else if (message.isGet()) {
      metrics.messageIn("get");
      gets.handle(message, peer);
    } else if (message.dam() != null) {
      metrics.messageIn("dam");
      handleDam(message, peer);
    } else if (message.replyTo() != null) {
      metrics.messageIn("reply");
      log.routeOf(message.replyTo())
          .ifPresent(asker -> outbox.forward(asker, "reply", codec.encode(message.raw())));
    } else {
      metrics.messageIn("other");
    }
  }

  private void handleDam(GunMessage message, Peer peer) {
    switch (message.dam()) {
      case "?" -> {
        if (message.replyTo() == null) {
          String id = MessageIds.next();
          outbox.send(peer, "dam", id, GunCodec.helloReply(id, message.id(), pid));
        }
      }
      case "hi", "mob", "opt" -> LOG.debug("Ignored dam '{}' from {}", message.dam(), peer.id());
      case "!" -> LOG.debug("Peer {} reported an error: {}", peer.id(), message.raw().get("err"));
      default ->
          throw new GunException.BadFrame("Expected dam '?' but received '" + message.dam() + "'");
    }
  }

  private void fail(Peer peer, String messageId, RuntimeException failure) {
    int code = CloseCodes.of(failure);
    if (code == CloseCodes.KEEP_OPEN) {
      metrics.error(errorKind(failure));
      String id = MessageIds.next();
      outbox.send(peer, "err", id, GunCodec.error(id, messageId, failure.getMessage()));
      if (failure instanceof GunException.Busy) {
        return;
      }
      try {
        peer.budget().strike(failure.getMessage());
      } catch (GunException.Abusive abusive) {
        closeFor(peer, abusive.closeCode(), abusive.getMessage(), abusive);
      }
      return;
    }
    closeFor(peer, code, failure.getMessage(), failure);
  }

  private static String errorKind(RuntimeException failure) {
    if (failure instanceof PutRefusedException) {
      return "limit";
    }
    if (failure instanceof InvalidDiffException) {
      return "invalid-graph";
    }
    if (failure instanceof GunException.Busy) {
      return "busy";
    }
    return failure instanceof GunException.LimitExceeded ? "limit" : "bad-message";
  }

  private void closeFor(Peer peer, int code, String reason, RuntimeException failure) {
    peer.budget().expel();
    metrics.error(code == CloseCodes.INTERNAL_ERROR ? "internal" : "closed");
    if (code == CloseCodes.INTERNAL_ERROR) {
      LOG.error("Closing {} after an internal error", peer.id(), failure);
    } else {
      LOG.warn("Closing {} with code {}: {}", peer.id(), code, reason);
    }
    peer.close(code, reason == null ? "" : reason);
  }

  /** Forgets expired message ids; the server calls this every second. */
  public void sweep() {
    log.sweep();
  }

  /** Sends the empty-batch heartbeat {@code []} to every peer (GunDB: every 20 s). */
  public void heartbeat() {
    for (Peer peer : peers.all()) {
      peer.send("[]");
    }
  }

  /** The open connections. */
  public Set<Peer> peers() {
    return peers.all();
  }

  /** Stops listening to the store. */
  @Override
  public void close() throws Exception {
    storeSubscription.close();
    validator.close();
  }
}
