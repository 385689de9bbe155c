package io.soulgraph.relay;

import io.soulgraph.graph.BackendStatus;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.federation.Backoff;
import io.soulgraph.relay.federation.PeerDialer;
import io.soulgraph.relay.gremlin.GremlinEndpoint;
import io.soulgraph.relay.p2p.Federation;
import io.soulgraph.relay.p2p.Libp2pNode;
import io.soulgraph.relay.p2p.SyncEngine;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.gun.MessageIds;
import io.soulgraph.relay.http.RelayServer;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sync.SyncCore;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.tyrus.client.ClientManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the store, the sync core, the HTTP/WebSocket server and the peer dialers,
 * started in that order and stopped in reverse ({@link #close}: stop accepting, close connections,
 * then commit what is pending and close the store). Entry point: {@link #start}.
 */
public final class Relay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  private static final int HEARTBEAT_SECONDS = 20;

  private final RelayConfig config;
  private final SoulStore store;
  private final RelayMetrics metrics = new RelayMetrics();
  private final UserSpaceValidator userSpace;
  private final SyncCore core;
  private final RelayServer server;
  private final ScheduledExecutorService scheduler;
  private final ClientManager client;
  private final List<PeerDialer> dialers = new ArrayList<>();
  private volatile GremlinEndpoint gremlin;
  private volatile Libp2pNode libp2p;
  private volatile AutoCloseable gossipPublisher;
  private volatile boolean ready;
  private volatile boolean closed;
  private int port;

  private Relay(RelayConfig config) {
    this.config = config;
    this.store = SoulStores.open(config.storage());
    this.userSpace = UserSpaceValidator.withDefaultPool(store::node);
    this.core =
        new SyncCore(
            store,
            config.limits(),
            metrics,
            MessageIds.next(),
            config.libp2p().network(),
            userSpace);
    this.scheduler =
        Executors.newScheduledThreadPool(
            1,
            r -> {
              Thread thread = new Thread(r, "soulgraph-relay-timer");
              thread.setDaemon(true);
              return thread;
            });
    RelayStatus status = new RelayStatus(this, List.of(
        new HealthCheck("storage", store::failure),
        new HealthCheck("cluster", this::clusterProblem)));
    this.server =
        new RelayServer(
            config.host(),
            config.port(),
            core,
            config.limits(),
            new RelayServer.StatusPages(
                () -> ready && status.healthy(), status::health, status::info, metrics::scrape));
    this.client = ClientManager.createClient();
  }

  /**
   * Opens the store, starts listening and dialing peers, and logs one line saying where.
   *
   * @throws StartupException when the configuration cannot run here (a port in use, an unusable
   *     data directory, an unreachable backend, a bad peer URL), saying what and how to fix it
   */
  public static Relay start(RelayConfig config) {
    StartupChecks.check(config);
    Relay relay = open(config);
    List<StartupChecks.Listener> listeners = StartupChecks.listeners(config);
    try {
      relay.port = StartupChecks.listening(listeners.get(0), relay.server::start);
      relay.scheduler.scheduleAtFixedRate(relay.core::sweep, 1, 1, TimeUnit.SECONDS);
      AtomicLong heartbeatTicks = new AtomicLong();
      relay.scheduler.scheduleAtFixedRate(
          () -> relay.core.heartbeat(
              (int) (heartbeatTicks.incrementAndGet() % HEARTBEAT_SECONDS), HEARTBEAT_SECONDS),
          1, 1, TimeUnit.SECONDS);
      for (URI peer : config.peers()) {
        PeerDialer dialer =
            new PeerDialer(
                peer,
                relay.client,
                relay.core,
                config.limits(),
                relay.scheduler,
                Backoff.defaults());
        relay.dialers.add(dialer);
        dialer.start();
      }
      if (config.gremlin().enabled()) {
        relay.gremlin =
            StartupChecks.listening(
                StartupChecks.listener(listeners, "Gremlin"),
                () -> GremlinEndpoint.start(
                    relay.store.readOnlyTraversal(),
                    relay.store.readOnlyInternals(),
                    config.gremlin()));
      }
      if (config.libp2p().enabled()) {
        Federation federation =
            new Federation(
                SyncEngine.of(relay.core),
                config.libp2p().network(),
                config.limits().maxFrameBytes(),
                relay.metrics,
                relay.userSpace);
        relay.libp2p =
            StartupChecks.listening(
                StartupChecks.listener(listeners, "libp2p"),
                () ->
                    Libp2pNode.start(
                        config.host(),
                        config.libp2p(),
                        config.dataDir(),
                        "soulgraph-relay/" + RelayStatus.version(),
                        federation));
        relay.gossipPublisher = relay.core.addPublisher(federation.publisher());
      }
      relay.ready = true;
      LOG.info(
          "Soulgraph relay listening on ws://{}:{}/gun, data in {}, storage {}{}{}{}",
          config.host(),
          relay.port,
          config.dataDir() == null ? "memory" : config.dataDir(),
          config.storage().backend().name().toLowerCase(java.util.Locale.ROOT),
          relay.gremlin == null ? "" : ", gremlin " + relay.gremlin.url(),
          relay.libp2p == null
              ? ""
              : ", libp2p peer " + relay.libp2p.peerId() + " at " + relay.libp2p.addresses(),
          config.peers().isEmpty() ? "" : ", peers " + config.peers());
      return relay;
    } catch (RuntimeException e) {
      relay.close();
      throw e;
    }
  }

  private static Relay open(RelayConfig config) {
    try {
      return new Relay(config);
    } catch (RuntimeException e) {
      throw StartupChecks.storeFailure(config, e);
    }
  }

  /** The port the relay listens on (the real one when configured with 0). */
  public int port() {
    return port;
  }

  /** The WebSocket URL clients connect to. */
  public URI gunUrl() {
    return URI.create("ws://" + config.host() + ":" + port + "/gun");
  }

  /** The configuration the relay was started with. */
  public RelayConfig config() {
    return config;
  }

  /** The store the relay serves (embedders; tests that break the backend on purpose). */
  public SoulStore store() {
    return store;
  }

  /** The relay's meters. */
  public RelayMetrics metrics() {
    return metrics;
  }

  /** The Gremlin Server's URL, or null when it is disabled. */
  public URI gremlinUrl() {
    GremlinEndpoint endpoint = gremlin;
    return endpoint == null ? null : URI.create(endpoint.url());
  }

  /** The libp2p host, or null when it is disabled. */
  public Libp2pNode libp2p() {
    return libp2p;
  }

  /** The state of every peer relay given with {@code --peer}, in that order. */
  public List<PeerDialer.Status> peerStatuses() {
    return dialers.stream().map(PeerDialer::status).toList();
  }

  /** How many peer relays are connected now. */
  public long connectedPeers() {
    return dialers.stream().filter(PeerDialer::connected).count();
  }

  /** The storage check of {@code /health}: failing commits, cluster nodes up. */
  /** On a Cassandra/ScyllaDB cluster, a problem while the driver sees no node up. */
  private Optional<String> clusterProblem() {
    BackendStatus status = store.backendStatus();
    return status.cluster().isEmpty() || status.nodesUp() > 0
        ? Optional.empty()
        : Optional.of("no node of the cluster is up (" + status.cluster().size() + " known)");
  }

  public BackendStatus storeStatus() {
    return store.backendStatus();
  }

  /** Stops accepting, closes connections and peers, commits pending puts and closes the store. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ready = false;
    dialers.forEach(PeerDialer::close);
    server.stop();
    if (gremlin != null) {
      gremlin.close();
    }
    if (gossipPublisher != null) {
      try {
        gossipPublisher.close();
      } catch (Exception e) {
        LOG.warn("Removing the gossip publisher failed", e);
      }
    }
    if (libp2p != null) {
      libp2p.close();
    }
    client.shutdown();
    scheduler.shutdownNow();
    try {
      core.close();
    } catch (Exception e) {
      LOG.warn("Unsubscribing the sync core from the store failed", e);
    }
    store.close();
    LOG.info("Soulgraph relay stopped");
  }
}
