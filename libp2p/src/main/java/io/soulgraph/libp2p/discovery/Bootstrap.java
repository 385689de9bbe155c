package io.soulgraph.libp2p.discovery;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostService;
import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a host connected to a fixed list of peers: each is dialed at start and redialed when the
 * dial fails or the connection drops, after a backoff that doubles from {@code minBackoff} up to
 * {@code maxBackoff} and starts over once a connection succeeds.
 *
 * <pre>{@code
 * new HostBuilder().service(new Bootstrap(List.of(Multiaddr.fromString(
 *     "/ip4/10.0.0.5/tcp/4001/p2p/12D3KooW..."))))
 * }</pre>
 */
public final class Bootstrap implements HostService {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  private final List<Multiaddr> peers;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "libp2p-bootstrap");
    t.setDaemon(true);
    return t;
  });
  private Host host;

  /** Redials after 1 s, doubling up to 60 s. */
  public Bootstrap(List<Multiaddr> peers) {
    this(peers, Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  public Bootstrap(List<Multiaddr> peers, Duration minBackoff, Duration maxBackoff) {
    for (Multiaddr ma : peers) {
      if (ma.peerId().isEmpty()) {
        throw new IllegalArgumentException("expected a bootstrap multiaddr ending in /p2p/<id> "
            + "but received " + ma);
      }
    }
    if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("expected 0 < minBackoff <= maxBackoff");
    }
    this.peers = List.copyOf(peers);
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
  }

  @Override
  public void start(Host host, Identity identity) {
    this.host = host;
    peers.forEach(p -> dial(p, minBackoff));
  }

  @Override
  public void stop() {
    timer.shutdownNow();
  }

  private void dial(Multiaddr peer, Duration nextBackoff) {
    if (timer.isShutdown()) {
      return;
    }
    host.dial(peer).whenComplete((conn, e) -> {
      if (e != null) {
        LOG.info("bootstrap peer {} unreachable ({}); retrying in {} ms", peer, e.getMessage(),
            nextBackoff.toMillis());
        schedule(peer, nextBackoff, doubled(nextBackoff));
      } else {
        LOG.debug("connected to bootstrap peer {}", peer);
        watch(peer, conn);
      }
    });
  }

  private void watch(Multiaddr peer, Connection conn) {
    conn.closeFuture().thenRun(() -> {
      LOG.info("bootstrap peer {} disconnected; redialing in {} ms", peer,
          minBackoff.toMillis());
      schedule(peer, minBackoff, doubled(minBackoff));
    });
  }

  private void schedule(Multiaddr peer, Duration delay, Duration after) {
    try {
      timer.schedule(() -> dial(peer, after), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopped
    }
  }

  private Duration doubled(Duration d) {
    Duration twice = d.multipliedBy(2);
    return twice.compareTo(maxBackoff) > 0 ? maxBackoff : twice;
  }
}
