package io.soulgraph.relay.peer;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.StateClock;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.gun.MessageIds;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.p2p.Federation;
import io.soulgraph.relay.p2p.Libp2pConfig;
import io.soulgraph.relay.p2p.Libp2pNode;
import io.soulgraph.relay.p2p.SyncEngine;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.sync.SyncCore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A native Soulgraph peer in a Java application: its own store, a libp2p host in one network,
 * and put/get/subscribe. It federates with relays and other peers exactly as a relay does
 * (gossipsub for live changes, the sync stream for catch-up; see docs/federation.md), but runs
 * no WebSocket server and no Gremlin.
 *
 * <pre>{@code
 * try (SoulgraphPeer peer = SoulgraphPeer.builder()
 *     .network("demo")
 *     .bootstrap("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...")
 *     .start()) {
 *   peer.subscribe("greetings/java", fields -> System.out.println("changed: " + fields));
 *   peer.put("greetings/java", Map.of("text", "hello from Java")).join();
 *   System.out.println(peer.get("greetings/java"));
 * }
 * }</pre>
 *
 * Values are {@code String}, {@code Number} (stored as a double, as JavaScript does), {@code
 * Boolean}, {@code null} (a deletion) or a {@link Link} to another node. A put is merged by HAM
 * with a state that wins over everything this peer has seen of the field, committed, and then
 * published to the network.
 */
public final class SoulgraphPeer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SoulgraphPeer.class);

  /** A field value that points at another node. */
  public record Link(String soul) {
    public Link {
      Objects.requireNonNull(soul, "soul");
    }
  }

  private final SoulStore store;
  private final SyncCore core;
  private final Libp2pNode libp2p;
  private final AutoCloseable publisher;
  private final StateClock clock = new StateClock(Ticker.system());

  private SoulgraphPeer(SoulStore store, SyncCore core, Libp2pNode libp2p,
      AutoCloseable publisher) {
    this.store = store;
    this.core = core;
    this.libp2p = libp2p;
    this.publisher = publisher;
  }

  /** Options of a peer, then {@link Builder#start()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** What a peer is started with. */
  public static final class Builder {
    private Path dataDir;
    private String network = Libp2pConfig.DEFAULT_NETWORK;
    private String host = "127.0.0.1";
    private int port;
    private final List<String> bootstrap = new ArrayList<>();
    private boolean mdns;

    private Builder() {}

    /** Keeps the data (BerkeleyDB JE) and the libp2p identity here; default: in memory only. */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** The network to join (default {@code default}). */
    public Builder network(String name) {
      this.network = name;
      return this;
    }

    /** The interface and TCP port of the libp2p host (default 127.0.0.1, any free port). */
    public Builder listen(String listenHost, int listenPort) {
      this.host = listenHost;
      this.port = listenPort;
      return this;
    }

    /** A peer to dial and keep dialing, {@code /ip4/HOST/tcp/PORT/p2p/PEER_ID}. */
    public Builder bootstrap(String... multiaddrs) {
      bootstrap.addAll(List.of(multiaddrs));
      return this;
    }

    /** Finds peers on the local network by mDNS (multicast; off by default). */
    public Builder mdns(boolean on) {
      this.mdns = on;
      return this;
    }

    /** Opens the store and starts the host; the peer then joins its network. */
    public SoulgraphPeer start() {
      Libp2pConfig config = new Libp2pConfig(true, port, network, bootstrap, mdns);
      Libp2pNode.bootstrapAddresses(config.bootstrap());
      SoulStore store =
          SoulStores.open(dataDir == null ? StoreConfig.inMemory() : StoreConfig.berkeleyJe(dataDir));
      SyncCore core = null;
      try {
        GunLimits limits = GunLimits.defaults();
        RelayMetrics metrics = new RelayMetrics();
        UserSpaceValidator userSpace = UserSpaceValidator.withDefaultPool(store::node);
        core = new SyncCore(store, limits, metrics, MessageIds.next(), network, userSpace);
        Federation federation = new Federation(SyncEngine.of(core), network,
            limits.maxFrameBytes(), metrics, userSpace);
        Libp2pNode libp2p =
            Libp2pNode.start(host, config, dataDir, "soulgraph-peer/java", federation);
        return new SoulgraphPeer(store, core, libp2p, core.addPublisher(federation.publisher()));
      } catch (RuntimeException e) {
        closeQuietly(core);
        store.close();
        throw e;
      }
    }
  }

  /** This peer's libp2p peer id. */
  public String peerId() {
    return libp2p.peerId();
  }

  /** The multiaddrs other peers bootstrap with, each ending in {@code /p2p/<peer id>}. */
  public List<String> addresses() {
    return libp2p.addresses();
  }

  /** The libp2p peers connected now. */
  public List<String> connectedPeers() {
    return libp2p.connectedPeers();
  }

  /**
   * The peers known to be subscribed to this network's topic now: once one is, what this peer
   * puts reaches the network live (before, only by catch-up when peers connect).
   */
  public List<String> networkPeers() {
    return libp2p.federation().gossip().topicPeers(Libp2pConfig.topic(libp2p.network())).stream()
        .map(Object::toString).sorted().toList();
  }

  /**
   * Writes {@code fields} into node {@code soul}; completes once committed here (it is then
   * published to the network). Fails when a value is not a string, number, boolean, null or
   * {@link Link}.
   */
  public CompletableFuture<Void> put(String soul, Map<String, ?> fields) {
    Node node = Node.empty(soul);
    Optional<Node> current = store.node(soul);
    synchronized (clock) {
      for (Map.Entry<String, ?> field : fields.entrySet()) {
        double seen = current.map(n -> n.fields().get(field.getKey()))
            .map(FieldState::state).orElse(Double.NEGATIVE_INFINITY);
        node = node.with(field.getKey(), toValue(field.getValue()), clock.stampAfter(seen));
      }
    }
    return store.put(Graph.of(node), null).thenApply(result -> null);
  }

  /** The node {@code soul} as this peer has it, without its metadata; empty if it has none. */
  public Optional<Map<String, Object>> get(String soul) {
    return store.node(soul).map(SoulgraphPeer::fieldsOf);
  }

  /**
   * Calls {@code onChange} with the changed fields of {@code soul} whenever a change to it is
   * committed here, from this peer or from the network, on a store thread (it must not block).
   * Close the result to stop.
   */
  public AutoCloseable subscribe(String soul, Consumer<Map<String, Object>> onChange) {
    return store.subscribe((changes, origin) -> {
      Node node = changes.nodes().get(soul);
      if (node != null) {
        try {
          onChange.accept(fieldsOf(node));
        } catch (RuntimeException e) {
          LOG.warn("A subscriber of {} failed", soul, e);
        }
      }
    });
  }

  private static Map<String, Object> fieldsOf(Node node) {
    Map<String, Object> fields = new LinkedHashMap<>();
    node.fields().forEach((name, state) -> fields.put(name, fromValue(state.value())));
    return Collections.unmodifiableMap(fields);
  }

  private static Value toValue(Object value) {
    if (value == null) {
      return Value.NULL;
    }
    if (value instanceof String s) {
      return Value.of(s);
    }
    if (value instanceof Number n) {
      return Value.of(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return Value.of(b);
    }
    if (value instanceof Link link) {
      return Value.link(link.soul());
    }
    throw new IllegalArgumentException("Expected a String, Number, Boolean, null or"
        + " SoulgraphPeer.Link but received " + value.getClass().getName());
  }

  private static Object fromValue(Value value) {
    return switch (value.kind()) {
      case NULL -> null;
      case STRING -> value.asString();
      case NUMBER -> value.asNumber();
      case BOOLEAN -> value.asBoolean();
      case LINK -> new Link(value.linkSoul());
    };
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("Closing {} failed", closeable, e);
    }
  }

  /** Leaves the network, then closes the store. */
  @Override
  public void close() {
    closeQuietly(publisher);
    libp2p.close();
    closeQuietly(core);
    store.close();
  }
}
