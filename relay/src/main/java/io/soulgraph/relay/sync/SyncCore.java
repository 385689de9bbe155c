package io.soulgraph.relay.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.gun.GunException;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.gun.GunMessage;
import io.soulgraph.relay.gun.MessageIds;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync core: one transport-neutral protocol engine (Yjs' {@code readSyncMessage} shape).
 * Transports call {@link #open} with their {@link Link}, {@link #receive} with each text frame and
 * {@link #close}; the core decides what is said, to whom, and when a session ends ({@link
 * Disconnect}). It de-duplicates message ids across all sessions, routes replies by {@code @},
 * answers handshakes (learning each session's {@link Role}) and gets, stores and acks puts, and
 * sends committed changes to subscribed clients and through the {@link ChangePublisher}s (GunDB
 * relay flooding is one). Bad input is answered with {@code err}; repeated abuse ends only the
 * offender. Thread-safe.
 */
public final class SyncCore implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyncCore.class);
  private static final int RESUBSCRIBE_BATCH = 100;
  private static final int DELIVERY_QUEUE = 10_000;
  /** Under load, the delivery thread's messages leave at least once per this many tasks. */
  private static final int TURN_TASKS = 128;

  /** The network a relay joins unless configured otherwise. */
  public static final String DEFAULT_NETWORK = "default";

  private final GunCodec codec;
  private final MessageLog log;
  private final Subscriptions subscriptions;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final ConnectionPlaces places;
  private final List<ChangePublisher> publishers = new CopyOnWriteArrayList<>();
  private final Outbox outbox;
  private final Failures failures;
  private final GetHandler gets;
  private final PutHandler puts;
  private final RelayMetrics metrics;
  private final GunLimits limits;
  private final String pid;
  private final String network;
  private final ThreadPoolExecutor delivery;
  private final ExecutorService antiEntropyReads;
  private final AntiEntropy antiEntropy;
  private final AutoCloseable storeSubscription;
  private final UserSpaceValidator validator;

  /** A core on the default network with its own SEA validator (closed with it). */
  public SyncCore(SoulStore store, GunLimits limits, RelayMetrics metrics, String pid) {
    this(store, limits, metrics, pid, DEFAULT_NETWORK,
        UserSpaceValidator.withDefaultPool(store::node));
  }

  /**
   * @param pid this relay's DAM peer id
   * @param network the Soulgraph network this relay belongs to: peers of another are refused
   * @param validator checks every put before it is merged (closed with this core)
   */
  public SyncCore(
      SoulStore store,
      GunLimits limits,
      RelayMetrics metrics,
      String pid,
      String network,
      UserSpaceValidator validator) {
    this.codec = new GunCodec(limits);
    this.log = new MessageLog(limits.dedupWindow(), 1_000_000,
        limits.memory().messageLogBytes(), System::nanoTime);
    this.subscriptions = new Subscriptions(limits.maxSubscriptions(),
        limits.memory().maxSubscriptionBytes());
    this.outbox = new Outbox(metrics, log);
    this.delivery = deliveryThread("soulgraph-delivery", DELIVERY_QUEUE, outbox);
    this.gets = new GetHandler(store, codec, subscriptions, sessions, outbox);
    this.validator = validator;
    this.failures = new Failures(metrics, outbox);
    ChangeFanout fanout = new ChangeFanout(subscriptions, outbox, delivery, publishers);
    this.puts = new PutHandler(
        store, log, outbox, metrics, validator, limits.memory(), delivery, failures, fanout);
    this.antiEntropyReads = Executors.newSingleThreadExecutor(
        r -> {
          Thread thread = new Thread(r, "soulgraph-anti-entropy");
          thread.setDaemon(true);
          return thread;
        });
    this.antiEntropy = new AntiEntropy(store, codec, outbox, failures, validator,
        antiEntropyReads, delivery, limits.maxFrameBytes(), metrics);
    this.metrics = metrics;
    this.limits = limits;
    this.places = new ConnectionPlaces(limits.maxConnections(), System::nanoTime);
    this.pid = pid;
    this.network = network;
    this.publishers.add(new FloodPublisher(sessions, outbox));
    Pressure.register(metrics, sessions, delivery, store);
    this.storeSubscription = store.subscribe(fanout);
  }

  /**
   * One thread, in order, with a bounded queue: when it is full the caller (the store's commit
   * thread) waits, so memory stays bounded and nothing is dropped. Its turn ends when its queue
   * is empty, or after {@link #TURN_TASKS} tasks under load, and what it sent in the turn leaves
   * then ({@link Outbox#endTurn}).
   */
  private static ThreadPoolExecutor deliveryThread(String name, int capacity, Outbox outbox) {
    return new ThreadPoolExecutor(
        1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
        r -> {
          Thread thread = new Thread(r, name);
          thread.setDaemon(true);
          outbox.joinTurnsOf(thread);
          return thread;
        },
        (task, executor) -> {
          if (executor.isShutdown()) {
            return;
          }
          try {
            executor.getQueue().put(task);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }) {
      private int tasksThisTurn;

      @Override
      protected void afterExecute(Runnable task, Throwable failure) {
        if (++tasksThisTurn >= TURN_TASKS || getQueue().isEmpty()) {
          tasksThisTurn = 0;
          outbox.endTurn();
        }
      }
    };
  }

  /**
   * Holds a place under the connection limit for a handshake, if one is free: transports that can
   * refuse a connection before accepting it (an HTTP upgrade) ask first, so a relay at its limit
   * costs a refused handshake, not an accepted socket closed again. The handshake's session then
   * opens in it ({@link #openInHeldPlace}), or the handshake gives it back ({@link
   * #releaseHeldPlace}); a place never used lapses after a few seconds.
   */
  public boolean holdPlace() {
    return places.hold();
  }

  /** A handshake that held a place ended without a connection. */
  public void releaseHeldPlace() {
    places.unhold();
  }

  /**
   * A connection opened: greets it with the {@code dam:"?"} handshake (with the Soulgraph marker).
   *
   * @param provisionalRole what the transport expects (a URL given with {@code --peer} is a
   *     GunDB relay, an accepted socket a client) until the handshake says otherwise
   * @return the session, or null at the connection limit (the caller disconnects {@link
   *     Disconnect#OVERLOADED})
   */
  public Session open(Link link, Role provisionalRole) {
    return open(link, provisionalRole, false);
  }

  /**
   * As {@link #open(Link, Role)}, for a connection whose handshake held a place ({@link
   * #holdPlace}).
   */
  public Session openInHeldPlace(Link link, Role provisionalRole) {
    return open(link, provisionalRole, true);
  }

  private Session open(Link link, Role provisionalRole, boolean placeHeld) {
    if (!places.take(placeHeld)) {
      metrics.error("connections");
      LOG.warn("Refused {}: at the limit of {} connections", link.describe(),
          limits.maxConnections());
      return null;
    }
    Session session;
    try {
      session = new Session(link, provisionalRole, new SessionBudget(limits, System::nanoTime));
      // The greeting goes first, before fan-out can see the session: a relay of another network
      // learns the mismatch only from it, and would take a change that came before it for a
      // client's put.
      String id = outbox.newId();
      outbox.send(session, "dam", id, GunCodec.hello(id, pid, network));
    } catch (RuntimeException e) {
      places.release();
      throw e;
    }
    sessions.add(session);
    metrics.connections(1);
    if (session.isPeer()) {
      askForSubscribedSouls(session);
    }
    return session;
  }

  /**
   * A session for the relay's own writes (the Java peer API): a client whose link drops what it is
   * sent, without a message rate. Not counted as a connection and never a publisher's receiver.
   */
  public Session localSession(String name) {
    return new Session(new LocalLink("local:" + name), Role.CLIENT,
        new SessionBudget(limits, System::nanoTime));
  }

  /** Adds a way committed changes leave the relay; {@code close()} removes it. */
  public AutoCloseable addPublisher(ChangePublisher publisher) {
    publishers.add(publisher);
    return () -> publishers.remove(publisher);
  }

  /**
   * Asks a (re)connected relay for every soul our sessions are subscribed to, so that it pushes
   * their later changes to us and we catch up on what changed while the link was down. Answers are
   * stored and pushed to our subscribers like any change.
   */
  private void askForSubscribedSouls(Session relay) {
    List<String> batch = new ArrayList<>();
    for (String soul : subscriptions.souls()) {
      String id = outbox.newId();
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

  /** The transport saw the connection end: forgets its subscriptions. Replies to it are dropped. */
  public void close(Session session) {
    session.end();
    if (sessions.remove(session)) {
      places.release();
      metrics.connections(-1);
    }
    subscriptions.remove(session);
    session.lane().close();
    antiEntropy.closed(session);
  }

  /** Handles one text frame from a session: one message, or an array of them. */
  public void receive(Session session, String frame) {
    if (session.ended()) {
      return;
    }
    List<ObjectNode> messages;
    try {
      messages = codec.decodeFrame(frame);
    } catch (RuntimeException failure) {
      failures.onMessage(session, null, failure);
      return;
    }
    for (ObjectNode message : messages) {
      if (session.ended()) {
        return;
      }
      String id = codec.idOf(message);
      try {
        if (!session.unmetered()) {
          session.budget().takeMessage(); // relays carry many clients' traffic
        }
        GunMessage decoded = codec.decode(message, MessageIds.next());
        id = decoded.id();
        if (log.firstSeen(id, session)) {
          dispatch(decoded, session);
        }
      } catch (RuntimeException failure) {
        failures.onMessage(session, id, failure);
      }
    }
  }

  private void dispatch(GunMessage message, Session session) {
    if (message instanceof GunMessage.AntiEntropy sync) {
      metrics.messageIn("sync");
      antiEntropy.handle(sync, session);
    } else if (message instanceof GunMessage.Put put) {
      metrics.messageIn(put.replyTo() == null ? "put" : "reply");
      puts.handle(put, session);
    } else if (message instanceof GunMessage.Get get) {
      metrics.messageIn("get");
      gets.handle(get, session);
    } else if (message instanceof GunMessage.Dam dam) {
      metrics.messageIn("dam");
      handleDam(dam, session);
    } else if (message instanceof GunMessage.Reply reply) {
      metrics.messageIn("reply");
      log.routeOf(reply.replyTo())
          .ifPresent(asker -> outbox.forward(asker, "reply", codec.encode(reply.raw())));
    } else {
      metrics.messageIn("other");
    }
  }

  private void handleDam(GunMessage.Dam message, Session session) {
    switch (message.word()) {
      case "?" -> {
        if (message.network() != null && !joinNetwork(message, session)) {
          return;
        }
        if (message.replyTo() == null) {
          String id = outbox.newId();
          outbox.send(session, "dam", id, GunCodec.helloReply(id, message.id(), pid, network));
        }
      }
      case "hi" -> session.learnRole(Role.CLIENT);
      case "mob", "opt" -> LOG.debug("Ignored dam '{}' from {}", message.word(), session);
      case "!" -> LOG.debug("Peer {} reported an error: {}", session, message.raw().get("err"));
      default ->
          throw new GunException.BadFrame("Expected dam '?' but received '" + message.word() + "'");
    }
  }

  /** A handshake with the Soulgraph marker: the session is a Soulgraph peer of our network. */
  private boolean joinNetwork(GunMessage.Dam message, Session session) {
    if (!network.equals(message.network())) {
      String id = outbox.newId();
      String text = "Expected a peer of network '" + network + "' but this one is of network '"
          + message.network() + "'";
      outbox.send(session, "err", id, GunCodec.error(id, message.id(), text));
      LOG.warn("Closing {}: {}", session, text);
      outbox.disconnect(session, Disconnect.ABUSE, "Wrong network");
      return false;
    }
    Role before = session.role();
    session.learnRole(Role.SOULGRAPH_PEER);
    if (before == Role.CLIENT) {
      askForSubscribedSouls(session);
    }
    antiEntropy.start(session);
    return true;
  }

  /** Forgets expired message ids; the relay calls this every second. */
  public void sweep() {
    log.sweep();
  }

  /**
   * Sends the empty-batch heartbeat {@code []} (GunDB: every 20 s) to one slice of the sessions:
   * called once a second with the slices of a 20 s interval, every session gets one every 20 s,
   * and 10,000 connections cost 500 frames a second instead of one burst of 10,000 that delays
   * everyone's replies. {@code heartbeat(0, 1)} reaches every session.
   */
  public void heartbeat(int slice, int slices) {
    for (Session session : sessions) {
      if (Math.floorMod(System.identityHashCode(session), slices) == slice) {
        outbox.write(session, "[]");
      }
    }
  }

  /** The open sessions (a live view). */
  public Set<Session> sessions() {
    return java.util.Collections.unmodifiableSet(sessions);
  }

  /** The Soulgraph network this core belongs to. */
  public String network() {
    return network;
  }

  /** Stops listening to the store, delivers what is queued, and closes the validator. */
  @Override
  public void close() throws Exception {
    storeSubscription.close();
    antiEntropyReads.shutdownNow();
    delivery.shutdown();
    delivery.awaitTermination(5, TimeUnit.SECONDS);
    validator.close();
  }

  /** The link of a local session: the relay's own writes; what it is sent is dropped. */
  record LocalLink(String describe) implements Link {
    @Override
    public void write(String frame, Runnable written) {
      written.run();
    }

    @Override
    public void disconnect(Disconnect reason, String text) {}
  }
}
