package io.soulgraph.libp2p.pubsub;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostService;
import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.ProtocolHandler;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.StreamListener;
import io.soulgraph.libp2p.internal.pubsub.FrameReader;
import io.soulgraph.libp2p.internal.pubsub.MessageCache;
import io.soulgraph.libp2p.internal.pubsub.MessageId;
import io.soulgraph.libp2p.internal.pubsub.MessageSigning;
import io.soulgraph.libp2p.internal.pubsub.Rpc;
import io.soulgraph.libp2p.internal.pubsub.SeenCache;
import io.soulgraph.libp2p.internal.util.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gossipsub v1.1 ({@code /meshsub/1.1.0}, also answering {@code /meshsub/1.0.0}) as a host
 * service, interoperable with js-libp2p's {@code @libp2p/gossipsub}:
 *
 * <pre>{@code
 * Gossip gossip = new Gossip(GossipConfig.defaults());
 * Host host = new HostBuilder().listen("/ip4/0.0.0.0/tcp/4001").service(gossip).build();
 * gossip.subscribe("soulgraph", msg -> handle(msg.data()));
 * gossip.publish("soulgraph", bytes);
 * }</pre>
 *
 * <p>Messages are StrictSign-ed with the host's key and verified on receipt (on the I/O
 * threads); invalid, unsigned and duplicate messages are dropped and never forwarded. The
 * router's state lives on one thread, which also runs the heartbeat, validators and handlers.
 * Peer scoring and peer exchange are not implemented: PRUNE's peer list is ignored.
 */
public final class Gossip implements HostService, PubsubApi {
  public static final String MESHSUB_1_1 = "/meshsub/1.1.0";
  public static final String MESHSUB_1_0 = "/meshsub/1.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(Gossip.class);
  private static final long UNSUBSCRIBE_BACKOFF_SECONDS = 10;

  private final GossipConfig config;
  private final ScheduledExecutorService loop;
  private volatile Thread loopThread;
  private volatile Host host;
  private volatile Identity identity;
  /** Seeded from the clock, so a restarted peer's seqnos still increase (go requires it). */
  private final AtomicLong seqno = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
  private final SeenCache seen;
  private final GossipStats stats = new GossipStats();

  // Everything below is touched only on the router thread.
  private final Map<PeerId, Peer> peers = new HashMap<>();
  private final Map<String, List<Consumer<PubsubMessage>>> subscriptions = new HashMap<>();
  private final Map<String, Validator> validators = new HashMap<>();
  private final Map<String, Set<Peer>> mesh = new HashMap<>();
  private final Map<PeerId, Map<String, Long>> backoff = new HashMap<>();
  private final MessageCache mcache;
  private final Set<MessageId> wanted = new HashSet<>();

  public Gossip(GossipConfig config) {
    this.config = config;
    this.seen = new SeenCache(config.seenTtl().toNanos(), 1_000_000);
    this.mcache = new MessageCache(config.historyGossip(), config.historyLength());
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gossip-router");
      t.setDaemon(true);
      loopThread = t;
      return t;
    });
  }

  /** One peer's pubsub state. {@code queued} is touched from any thread. */
  private static final class Peer {
    final PeerId id;
    final Set<String> topics = new HashSet<>();
    final AtomicInteger queued = new AtomicInteger();
    Stream out;
    Stream in;
    boolean opening;
    int askedThisHeartbeat;
    int servedThisHeartbeat;

    Peer(PeerId id) {
      this.id = id;
    }

    @Override
    public String toString() {
      return id.toString();
    }
  }

  /** Counters of what the router dropped, for tests and metrics. */
  public static final class GossipStats {
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong outboundDropped = new AtomicLong();
    private final AtomicLong peersDropped = new AtomicLong();

    /** Messages dropped for a missing or bad signature, key or seqno. */
    public long invalid() {
      return invalid.get();
    }

    public long duplicates() {
      return duplicates.get();
    }

    /** Messages a validator did not accept. */
    public long rejected() {
      return rejected.get();
    }

    /** RPCs not sent because a peer's outbound queue was full. */
    public long outboundDropped() {
      return outboundDropped.get();
    }

    /** Peers disconnected for breaking a limit or the protocol. */
    public long peersDropped() {
      return peersDropped.get();
    }
  }

  public GossipStats stats() {
    return stats;
  }

  @Override
  public List<ProtocolBinding<?>> protocols() {
    ProtocolHandler<Void> handler = new ProtocolHandler<>() {
      @Override
      public Void onStartInitiator(Stream stream) {
        throw new IllegalStateException("gossip opens its own streams");
      }

      @Override
      public Void onStartResponder(Stream stream) {
        acceptInbound(stream);
        return null;
      }
    };
    return List.of(new ProtocolBinding<>(MESHSUB_1_1, handler),
        new ProtocolBinding<>(MESHSUB_1_0, handler));
  }

  @Override
  public void start(Host host, Identity identity) {
    this.host = host;
    this.identity = identity;
    host.addConnectionListener(this::onConnection);
    host.connections().forEach(this::onConnection);
    long ms = config.heartbeat().toMillis();
    loop.scheduleAtFixedRate(this::heartbeatSafely, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- API ----

  @Override
  public Subscription subscribe(String topic, Consumer<PubsubMessage> handler) {
    checkTopic(topic);
    onLoop(() -> {
      List<Consumer<PubsubMessage>> hs = subscriptions.get(topic);
      if (hs == null) {
        subscriptions.put(topic, new CopyOnWriteArrayList<>(List.of(handler)));
        join(topic);
      } else {
        hs.add(handler);
      }
    });
    return new Subscription() {
      @Override
      public String topic() {
        return topic;
      }

      @Override
      public void cancel() {
        onLoop(() -> {
          List<Consumer<PubsubMessage>> hs = subscriptions.get(topic);
          if (hs != null && hs.remove(handler) && hs.isEmpty()) {
            subscriptions.remove(topic);
            leave(topic);
          }
        });
      }
    };
  }

  @Override
  public CompletableFuture<Integer> publish(String topic, byte[] data) {
    checkTopic(topic);
    if (identity == null) {
      throw new IllegalStateException("gossip is not started: add it to a host with "
          + "HostBuilder.service(gossip) and build the host first");
    }
    if (data.length > config.maxRpcSize() - topic.length() - 256) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("message of "
          + data.length + " bytes does not fit the RPC limit of " + config.maxRpcSize()));
    }
    if (!reachesPeers()) {
      // No peer to send it to, nor to ask for it (IWANT) later: skip the Ed25519 signature, which
      // was most of a standalone relay's CPU per put. A peer that connects later catches up.
      return CompletableFuture.completedFuture(0);
    }
    Rpc.Message m = MessageSigning.sign(identity, topic, data.clone(), seqno.incrementAndGet());
    CompletableFuture<Integer> sent = new CompletableFuture<>();
    if (loop.isShutdown()) {
      return CompletableFuture.failedFuture(new IllegalStateException("gossip is stopped"));
    }
    onLoop(() -> {
      MessageId id = MessageSigning.id(m);
      seen.add(id, System.nanoTime());
      mcache.put(id, m);
      byte[] frame = frame(Rpc.ofMessages(List.of(m)));
      int n = 0;
      for (Peer p : peers.values()) {
        if (p.topics.contains(topic) && send(p, frame)) {
          n++;
        }
      }
      sent.complete(n);
    });
    return sent;
  }

  @Override
  public boolean reachesPeers() {
    Host started = host;
    return started != null && !started.connections().isEmpty();
  }

  @Override
  public void setValidator(String topic, Validator validator) {
    onLoop(() -> validators.put(topic, validator));
  }

  @Override
  public Set<PeerId> meshPeers(String topic) {
    return query(() -> ids(mesh.getOrDefault(topic, Set.of())));
  }

  @Override
  public Set<PeerId> topicPeers(String topic) {
    return query(() -> {
      Set<PeerId> s = new HashSet<>();
      peers.values().stream().filter(p -> p.topics.contains(topic)).forEach(p -> s.add(p.id));
      return s;
    });
  }

  private static Set<PeerId> ids(Set<Peer> ps) {
    Set<PeerId> s = new HashSet<>();
    ps.forEach(p -> s.add(p.id));
    return s;
  }

  private static void checkTopic(String topic) {
    if (topic == null || topic.isEmpty() || topic.length() > 1024) {
      throw new IllegalArgumentException("expected a topic of 1 to 1024 characters but received "
          + (topic == null ? "null" : topic.length() + " characters"));
    }
  }

  private void onLoop(Runnable r) {
    if (Thread.currentThread() == loopThread) {
      r.run();
    } else {
      try {
        loop.execute(() -> {
          try {
            r.run();
          } catch (RuntimeException e) {
            LOG.error("gossip router task failed", e);
          }
        });
      } catch (RejectedExecutionException e) {
        // Stopped: the host is closing and its connections' last events no longer matter.
      }
    }
  }

  private <T> T query(Supplier<T> q) {
    if (Thread.currentThread() == loopThread) {
      return q.get();
    }
    try {
      return CompletableFuture.supplyAsync(q, loop).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("gossip router did not answer", e);
    }
  }

  // ---- streams and peers ----

  private void onConnection(Connection conn) {
    PeerId remote = conn.remotePeer();
    conn.closeFuture().thenRun(() -> onLoop(() -> connectionClosed(remote)));
    onLoop(() -> openOutbound(peer(remote), conn));
  }

  private Peer peer(PeerId id) {
    return peers.computeIfAbsent(id, Peer::new);
  }

  private void openOutbound(Peer p, Connection conn) {
    if (p.out != null || p.opening || !conn.isOpen()) {
      return;
    }
    p.opening = true;
    conn.newStream(List.of(MESHSUB_1_1, MESHSUB_1_0)).whenComplete((s, e) -> onLoop(() -> {
      p.opening = false;
      if (e != null) {
        LOG.debug("{} opened no pubsub stream: {}", p, e.toString());
        return;
      }
      if (peers.get(p.id) != p || p.out != null) {
        s.reset();
        return;
      }
      p.out = s;
      s.setListener(new StreamListener() {
        @Override
        public void onData(Stream st, byte[] data) {
          // We only write on our stream; a peer writing back is ignored.
        }

        @Override
        public void onRemoteClose(Stream st) {
          onReset(st);
        }

        @Override
        public void onReset(Stream st) {
          onLoop(() -> outboundClosed(p, st));
        }
      });
      if (!subscriptions.isEmpty()) {
        List<Rpc.SubOpts> subs = new ArrayList<>();
        subscriptions.keySet().forEach(t -> subs.add(new Rpc.SubOpts(true, t)));
        send(p, frame(new Rpc(subs, List.of(), Rpc.Control.EMPTY)));
      }
    }));
  }

  private void outboundClosed(Peer p, Stream s) {
    if (p.out == s) {
      p.out = null;
      mesh.values().forEach(m -> m.remove(p));
    }
  }

  private void connectionClosed(PeerId id) {
    for (Connection c : host.connections()) {
      if (c.remotePeer().equals(id) && c.isOpen()) {
        Peer p = peers.get(id);
        if (p != null && p.out == null) {
          openOutbound(p, c);
        }
        return;
      }
    }
    Peer p = peers.remove(id);
    if (p != null) {
      mesh.values().forEach(m -> m.remove(p));
    }
  }

  private void acceptInbound(Stream stream) {
    PeerId remote = stream.connection().remotePeer();
    stream.setListener(new InboundReader(remote));
    onLoop(() -> {
      Peer p = peer(remote);
      if (p.in != null && p.in != stream) {
        p.in.reset(); // one inbound stream per peer: the newest wins, as in js
      }
      p.in = stream;
      if (p.out == null) {
        openOutbound(p, stream.connection());
      }
    });
  }

  /** Disconnects a peer that broke the protocol or a limit; the host and others carry on. */
  private void dropPeer(PeerId id, String reason) {
    LOG.warn("dropping pubsub peer {}: {}", id, reason);
    stats.peersDropped.incrementAndGet();
    for (Connection c : host.connections()) {
      if (c.remotePeer().equals(id)) {
        c.close();
      }
    }
    onLoop(() -> {
      Peer p = peers.remove(id);
      if (p != null) {
        mesh.values().forEach(m -> m.remove(p));
      }
    });
  }

  /** Reads one peer's RPCs on its I/O thread: framing, decoding and signatures happen here. */
  private final class InboundReader implements StreamListener {
    private final PeerId remote;
    private final FrameReader frames = new FrameReader(config.maxRpcSize());
    private double tokens = config.maxMessagesPerSecond();
    private long refilledAt = System.nanoTime();
    private boolean dropped;

    InboundReader(PeerId remote) {
      this.remote = remote;
    }

    @Override
    public void onData(Stream s, byte[] data) {
      if (dropped) {
        return;
      }
      try {
        for (byte[] f : frames.feed(data)) {
          Rpc rpc = Rpc.decode(f);
          if (!takeTokens(rpc.publish().size())) {
            drop(s, "more than " + config.maxMessagesPerSecond() + " messages per second");
            return;
          }
          List<Optional<String>> verdicts = new ArrayList<>(rpc.publish().size());
          for (Rpc.Message m : rpc.publish()) {
            verdicts.add(verdict(m));
          }
          onLoop(() -> handleRpc(remote, rpc, verdicts));
        }
      } catch (BadPeerException e) {
        drop(s, e.getMessage());
      }
    }

    private boolean takeTokens(int n) {
      long now = System.nanoTime();
      double rate = config.maxMessagesPerSecond();
      tokens = Math.min(rate, tokens + (now - refilledAt) / 1e9 * rate);
      refilledAt = now;
      tokens -= n;
      return tokens >= 0;
    }

    private void drop(Stream s, String reason) {
      dropped = true;
      s.reset();
      dropPeer(remote, reason);
    }
  }

  private static final Optional<String> DUPLICATE = Optional.of("duplicate");

  /** Why a message is dropped before routing, if it is; checks the signature unless seen. */
  private Optional<String> verdict(Rpc.Message m) {
    try {
      if (m.seqno() != null && m.from() != null && seen.contains(MessageSigning.id(m))) {
        return DUPLICATE; // no need to pay for the signature again
      }
    } catch (IllegalArgumentException e) {
      return Optional.of("from is not a peer id");
    }
    return MessageSigning.check(m);
  }

  // ---- routing (router thread) ----

  private void handleRpc(PeerId remote, Rpc rpc, List<Optional<String>> verdicts) {
    Peer p = peers.get(remote);
    if (p == null) {
      return; // dropped or gone while this RPC was queued
    }
    for (Rpc.SubOpts s : rpc.subscriptions()) {
      if (s.subscribe()) {
        if (p.topics.add(s.topic()) && p.topics.size() > config.maxTopicsPerPeer()) {
          dropPeer(remote, "subscribed to more than " + config.maxTopicsPerPeer() + " topics");
          return;
        }
        Set<Peer> m = mesh.get(s.topic());
        if (m != null && m.size() < config.dLow() && p.out != null
            && !inBackoff(p, s.topic())) {
          m.add(p);
          sendControl(p, new Rpc.Control(List.of(), List.of(),
              List.of(new Rpc.Graft(s.topic())), List.of()));
        }
      } else {
        p.topics.remove(s.topic());
        Set<Peer> m = mesh.get(s.topic());
        if (m != null) {
          m.remove(p);
        }
      }
    }
    for (int i = 0; i < rpc.publish().size(); i++) {
      receive(p, rpc.publish().get(i), verdicts.get(i));
    }
    handleControl(p, rpc.control());
  }

  private void receive(Peer p, Rpc.Message m, Optional<String> verdict) {
    if (verdict.isPresent()) {
      if (verdict == DUPLICATE) {
        stats.duplicates.incrementAndGet();
      } else {
        stats.invalid.incrementAndGet();
        LOG.debug("dropping message from {}: {}", p, verdict.get());
      }
      return;
    }
    List<Consumer<PubsubMessage>> handlers = subscriptions.get(m.topic());
    if (handlers == null) {
      return; // not our topic: we neither deliver nor relay it
    }
    MessageId id = MessageSigning.id(m);
    wanted.remove(id);
    if (!seen.add(id, System.nanoTime())) {
      stats.duplicates.incrementAndGet();
      return;
    }
    PeerId from = PeerId.fromBytes(m.from());
    PubsubMessage pm = new PubsubMessage(m.topic(), m.data() == null ? new byte[0] : m.data(),
        from, ByteBuffer.wrap(m.seqno()).getLong(), p.id);
    Validator v = validators.get(m.topic());
    ValidationResult result = ValidationResult.ACCEPT;
    if (v != null) {
      try {
        result = v.validate(pm);
      } catch (RuntimeException e) {
        LOG.warn("validator of topic {} failed; rejecting the message", m.topic(), e);
        result = ValidationResult.REJECT;
      }
    }
    if (result != ValidationResult.ACCEPT) {
      stats.rejected.incrementAndGet();
      return;
    }
    mcache.put(id, m);
    for (Consumer<PubsubMessage> h : handlers) {
      try {
        h.accept(pm);
      } catch (RuntimeException e) {
        LOG.warn("handler of topic {} failed", m.topic(), e);
      }
    }
    Set<Peer> targets = mesh.get(m.topic());
    if (targets != null && !targets.isEmpty()) {
      byte[] frame = frame(Rpc.ofMessages(List.of(m)));
      for (Peer t : targets) {
        if (t != p && !t.id.equals(from)) {
          send(t, frame);
        }
      }
    }
  }

  private void handleControl(Peer p, Rpc.Control c) {
    if (c.isEmpty()) {
      return;
    }
    List<Rpc.Prune> prunes = new ArrayList<>();
    for (Rpc.Graft g : c.graft()) {
      String topic = g.topic();
      if (!subscriptions.containsKey(topic)) {
        prunes.add(new Rpc.Prune(topic, config.pruneBackoff().toSeconds()));
      } else if (inBackoff(p, topic)) {
        setBackoff(p, topic, config.pruneBackoff().toSeconds()); // grafting too early: extend
        prunes.add(new Rpc.Prune(topic, config.pruneBackoff().toSeconds()));
      } else if (p.out != null) {
        mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(p);
      }
    }
    for (Rpc.Prune pr : c.prune()) {
      Set<Peer> m = mesh.get(pr.topic());
      if (m != null) {
        m.remove(p);
      }
      setBackoff(p, pr.topic(), pr.backoffSeconds() > 0 ? pr.backoffSeconds()
          : config.pruneBackoff().toSeconds());
    }
    List<byte[]> want = new ArrayList<>();
    for (Rpc.IHave ih : c.ihave()) {
      if (!subscriptions.containsKey(ih.topic())) {
        continue;
      }
      for (byte[] raw : ih.messageIds()) {
        if (p.askedThisHeartbeat >= config.maxIHaveIdsPerHeartbeat()) {
          break;
        }
        MessageId id = new MessageId(raw);
        if (!seen.contains(id) && wanted.add(id)) {
          p.askedThisHeartbeat++;
          want.add(raw);
        }
      }
    }
    List<Rpc.Message> serve = new ArrayList<>();
    for (Rpc.IWant iw : c.iwant()) {
      for (byte[] raw : iw.messageIds()) {
        Rpc.Message m = mcache.get(new MessageId(raw));
        if (m != null && p.servedThisHeartbeat < config.maxIHaveIdsPerHeartbeat()) {
          p.servedThisHeartbeat++;
          serve.add(m);
        }
      }
    }
    if (!prunes.isEmpty() || !want.isEmpty()) {
      sendControl(p, new Rpc.Control(List.of(),
          want.isEmpty() ? List.of() : List.of(new Rpc.IWant(want)), List.of(), prunes));
    }
    for (Rpc.Message m : serve) {
      send(p, frame(Rpc.ofMessages(List.of(m))));
    }
  }

  private void join(String topic) {
    Rpc hello = new Rpc(List.of(new Rpc.SubOpts(true, topic)), List.of(), Rpc.Control.EMPTY);
    byte[] frame = frame(hello);
    peers.values().forEach(p -> send(p, frame));
    Set<Peer> m = mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>());
    for (Peer p : shuffled(candidates(topic, m))) {
      if (m.size() >= config.d()) {
        break;
      }
      m.add(p);
      sendControl(p, new Rpc.Control(List.of(), List.of(), List.of(new Rpc.Graft(topic)),
          List.of()));
    }
  }

  private void leave(String topic) {
    Set<Peer> m = mesh.remove(topic);
    if (m != null) {
      for (Peer p : m) {
        setBackoff(p, topic, UNSUBSCRIBE_BACKOFF_SECONDS);
        sendControl(p, new Rpc.Control(List.of(), List.of(), List.of(),
            List.of(new Rpc.Prune(topic, UNSUBSCRIBE_BACKOFF_SECONDS))));
      }
    }
    byte[] frame = frame(new Rpc(List.of(new Rpc.SubOpts(false, topic)), List.of(),
        Rpc.Control.EMPTY));
    peers.values().forEach(p -> send(p, frame));
  }

  /** Topic peers we could graft: subscribed, writable, not in the mesh, not backing off. */
  private List<Peer> candidates(String topic, Set<Peer> m) {
    List<Peer> c = new ArrayList<>();
    for (Peer p : peers.values()) {
      if (p.topics.contains(topic) && p.out != null && !m.contains(p) && !inBackoff(p, topic)) {
        c.add(p);
      }
    }
    return c;
  }

  private static <T> List<T> shuffled(List<T> list) {
    Collections.shuffle(list, ThreadLocalRandom.current());
    return list;
  }

  private boolean inBackoff(Peer p, String topic) {
    Map<String, Long> b = backoff.get(p.id);
    Long until = b == null ? null : b.get(topic);
    return until != null && System.nanoTime() - until < 0;
  }

  private void setBackoff(Peer p, String topic, long seconds) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(seconds, 3600));
    backoff.computeIfAbsent(p.id, k -> new HashMap<>()).merge(topic, until,
        (a, b) -> b - a > 0 ? b : a);
  }

  private void heartbeatSafely() {
    try {
      heartbeat();
    } catch (RuntimeException e) {
      LOG.error("gossip heartbeat failed", e);
    }
  }

  private void heartbeat() {
    long now = System.nanoTime();
    Map<Peer, List<Rpc.Graft>> grafts = new HashMap<>();
    Map<Peer, List<Rpc.Prune>> prunes = new HashMap<>();
    Map<Peer, List<Rpc.IHave>> gossip = new HashMap<>();
    for (String topic : subscriptions.keySet()) {
      Set<Peer> m = mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>());
      m.removeIf(p -> p.out == null || !p.topics.contains(topic) || peers.get(p.id) != p);
      if (m.size() < config.dLow()) {
        for (Peer p : shuffled(candidates(topic, m))) {
          if (m.size() >= config.d()) {
            break;
          }
          m.add(p);
          grafts.computeIfAbsent(p, k -> new ArrayList<>()).add(new Rpc.Graft(topic));
        }
      }
      if (m.size() > config.dHigh()) {
        List<Peer> excess = shuffled(new ArrayList<>(m)).subList(config.d(), m.size());
        for (Peer p : excess) {
          m.remove(p);
          setBackoff(p, topic, config.pruneBackoff().toSeconds());
          prunes.computeIfAbsent(p, k -> new ArrayList<>())
              .add(new Rpc.Prune(topic, config.pruneBackoff().toSeconds()));
        }
      }
      List<MessageId> ids = mcache.gossipIds(topic);
      if (!ids.isEmpty()) {
        List<byte[]> raw = new ArrayList<>();
        for (MessageId id : ids.subList(0, Math.min(ids.size(), 5000))) {
          raw.add(id.bytes());
        }
        List<Peer> others = new ArrayList<>();
        for (Peer p : peers.values()) {
          if (p.topics.contains(topic) && p.out != null && !m.contains(p)) {
            others.add(p);
          }
        }
        int n = Math.max(config.dLazy(), others.size() / 4);
        for (Peer p : shuffled(others).subList(0, Math.min(n, others.size()))) {
          gossip.computeIfAbsent(p, k -> new ArrayList<>()).add(new Rpc.IHave(topic, raw));
        }
      }
    }
    Set<Peer> touched = new HashSet<>(grafts.keySet());
    touched.addAll(prunes.keySet());
    touched.addAll(gossip.keySet());
    for (Peer p : touched) {
      sendControl(p, new Rpc.Control(gossip.getOrDefault(p, List.of()), List.of(),
          grafts.getOrDefault(p, List.of()), prunes.getOrDefault(p, List.of())));
    }
    for (Peer p : peers.values()) {
      p.askedThisHeartbeat = 0;
      p.servedThisHeartbeat = 0;
    }
    mcache.shift();
    seen.expire(now);
    wanted.clear();
    backoff.values().forEach(b -> b.values().removeIf(until -> now - until > 0));
    backoff.values().removeIf(Map::isEmpty);
  }

  private void sendControl(Peer p, Rpc.Control c) {
    send(p, frame(Rpc.ofControl(c)));
  }

  private static byte[] frame(Rpc rpc) {
    byte[] body = rpc.encode();
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    Varint.write(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** Queues a frame to a peer; false if it has no stream or its queue is full. */
  private boolean send(Peer p, byte[] frame) {
    Stream s = p.out;
    if (s == null) {
      return false;
    }
    if (frame.length > config.maxRpcSize() + 5) {
      LOG.warn("not sending an RPC of {} bytes to {}: over the limit", frame.length, p);
      return false;
    }
    if (p.queued.incrementAndGet() > config.maxOutboundQueue()) {
      p.queued.decrementAndGet();
      stats.outboundDropped.incrementAndGet();
      return false;
    }
    s.write(frame).whenComplete((v, e) -> p.queued.decrementAndGet());
    return true;
  }
}
