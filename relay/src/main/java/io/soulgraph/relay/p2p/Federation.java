package io.soulgraph.relay.p2p;

import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostService;
import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.pubsub.Gossip;
import io.soulgraph.libp2p.pubsub.GossipConfig;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.sync.ChangePublisher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native federation on the relay's libp2p host: the {@code /soulgraph/sync/1.0.0} stream on every
 * connection (handshake, catch-up and get forwarding, run by the sync core) and live changes on
 * the network's gossipsub topic {@code /soulgraph/<network>/put/1.0.0}. Add {@link #gossip()} and
 * then this service to the host, before any discovery service, so that no connection is missed.
 */
public final class Federation implements HostService {

  /** Gossipsub messages up to js-libp2p's own RPC limit (4 MiB), so big puts still travel live. */
  static final int MAX_RPC_BYTES = 4 * 1024 * 1024;

  private final String network;
  private final Gossip gossip;
  private final SyncStreams syncStreams;
  private final GossipBridge bridge;
  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private volatile Host host;

  /**
   * @param engine the sync core
   * @param network the network name ({@code --network})
   * @param maxFrameBytes the largest frame accepted on a sync stream (the relay's frame limit)
   * @param metrics where gossip traffic is counted
   */
  public Federation(SyncEngine engine, String network, int maxFrameBytes, RelayMetrics metrics) {
    this(engine, network, maxFrameBytes, metrics, null);
  }

  /**
   * @param userSpace SEA's validator, run on every gossip message before it is forwarded (null:
   *     none; the core still checks what it stores)
   */
  public Federation(SyncEngine engine, String network, int maxFrameBytes, RelayMetrics metrics,
      UserSpaceValidator userSpace) {
    this.network = network;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "p2p-sync-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "p2p-sync-timer");
              thread.setDaemon(true);
              return thread;
            });
    // a peer's catch-up sender keeps 4 batches of up to a frame each unacknowledged
    long maxPending = Math.max(16L * 1024 * 1024, 5L * maxFrameBytes);
    this.gossip = new Gossip(GossipConfig.defaults().withMaxRpcSize(MAX_RPC_BYTES));
    this.syncStreams = new SyncStreams(engine, maxFrameBytes, maxPending, executor, timer);
    this.bridge =
        new GossipBridge(
            engine,
            gossip,
            Libp2pConfig.topic(network),
            new GossipBridge.Limits(
                MAX_RPC_BYTES - 64 * 1024,
                maxPending,
                4096,
                Duration.ofMinutes(1),
                Duration.ofMinutes(5)),
            executor,
            metrics,
            () -> host,
            userSpace == null
                ? GossipBridge.UserSpaceCheck.NONE
                : GossipBridge.UserSpaceCheck.of(userSpace));
  }

  /** The gossipsub router; add it to the host before this service. */
  public Gossip gossip() {
    return gossip;
  }

  /** Publishes each committed change on the network's topic; register it with the core. */
  public ChangePublisher publisher() {
    return bridge.publisher();
  }

  /** The network this relay belongs to. */
  public String network() {
    return network;
  }

  /** Open {@code /soulgraph/sync/1.0.0} streams. */
  public int syncStreams() {
    return syncStreams.openStreams();
  }

  @Override
  public List<ProtocolBinding<?>> protocols() {
    return List.of(syncStreams.binding());
  }

  @Override
  public void start(Host startedHost, Identity identity) {
    this.host = startedHost;
    startedHost.addConnectionListener(syncStreams::onConnection);
    // Connections made before this service started (none when it precedes discovery).
    startedHost.connections().forEach(syncStreams::onConnection);
    bridge.start();
    timer.scheduleAtFixedRate(bridge::sweep, 1, 1, TimeUnit.MINUTES);
  }

  @Override
  public void stop() {
    timer.shutdownNow();
    syncStreams.closeAll();
    bridge.closeAll();
    executor.shutdown();
  }
}
