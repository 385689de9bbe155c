package io.soulgraph.relay.federation;

import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Role;
import io.soulgraph.relay.sync.SyncCore;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.client.ClientManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection to a peer relay ({@code --peer}) open: dials, hands the connection to the
 * sync core as a GunDB relay (a Soulgraph relay says so in its handshake), and after any failure or
 * close dials again with {@link Backoff}.
 */
public final class PeerDialer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PeerDialer.class);

  private final URI url;
  private final ClientManager client;
  private final SyncCore core;
  private final GunLimits limits;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService writer;
  private final Backoff backoff;
  private volatile boolean stopped;
  private volatile Session session;
  private int failures;
  private volatile String lastError;

  public PeerDialer(
      URI url,
      ClientManager client,
      SyncCore core,
      GunLimits limits,
      ScheduledExecutorService scheduler,
      Backoff backoff) {
    this.url = url;
    this.client = client;
    this.core = core;
    this.limits = limits;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "soulgraph-peer-writer " + url);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts dialing (asynchronously). */
  public void start() {
    scheduler.execute(this::dial);
  }

  private void dial() {
    if (stopped) {
      return;
    }
    try {
      client.connectToServer(
          new PeerEndpoint(), ClientEndpointConfig.Builder.create().build(), url);
    } catch (Exception e) {
      String reason = reason(e);
      lastError = reason;
      boolean first;
      synchronized (this) {
        first = failures == 0;
      }
      if (first) {
        LOG.warn("Cannot reach peer relay {} ({}); retrying every few seconds", url, reason);
      } else {
        LOG.debug("Dialing {} failed again: {}", url, reason);
      }
      redial();
    }
  }

  private synchronized void redial() {
    if (stopped) {
      return;
    }
    long delay = backoff.delay(failures++).toMillis();
    scheduler.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
  }

  private final class PeerEndpoint extends Endpoint {
    private volatile io.soulgraph.relay.sync.Session peer;

    @Override
    public void onOpen(Session opened, EndpointConfig config) {
      opened.setMaxTextMessageBufferSize(limits.maxFrameBytes());
      opened.setMaxIdleTimeout(0);
      DialedLink link = new DialedLink(url.toString(), opened, writer);
      session = opened;
      synchronized (PeerDialer.this) {
        failures = 0;
      }
      lastError = null;
      LOG.info("Connected to peer relay {}", url);
      io.soulgraph.relay.sync.Session current = core.open(link, Role.GUN_RELAY);
      if (current == null) {
        link.disconnect(Disconnect.OVERLOADED, "Too many connections");
        return;
      }
      peer = current;
      opened.addMessageHandler(
          String.class, (MessageHandler.Whole<String>) text -> core.receive(current, text));
    }

    @Override
    public void onClose(Session closed, CloseReason reason) {
      io.soulgraph.relay.sync.Session current = peer;
      if (current != null) {
        core.close(current);
        peer = null;
      }
      if (!stopped) {
        LOG.info("Lost peer relay {} ({}); redialing", url, reason.getCloseCode());
        redial();
      }
    }

    @Override
    public void onError(Session failed, Throwable error) {
      LOG.debug("Error on peer relay {}: {}", url, error.toString());
    }
  }

  /** The innermost cause's message: "Connection refused", not the WebSocket client's wrapper. */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  /**
   * Where this peer stands, for /info and /health.
   *
   * @param state {@code connected}, {@code connecting} (not yet, or redialing after a loss) or
   *     {@code unreachable} (the last dial failed)
   * @param failures dials failed in a row
   * @param lastError why the last dial failed, or null
   */
  public record Status(String url, String state, int failures, String lastError) {}

  /** This peer's state now. */
  public Status status() {
    int failed;
    synchronized (this) {
      failed = failures;
    }
    String state = connected() ? "connected" : failed > 0 ? "unreachable" : "connecting";
    return new Status(url.toString(), state, failed, connected() ? null : lastError);
  }

  /** Whether the connection is open now. */
  public boolean connected() {
    Session current = session;
    return current != null && current.isOpen();
  }

  /** Stops redialing and closes the connection. */
  @Override
  public void close() {
    stopped = true;
    Session current = session;
    if (current != null && current.isOpen()) {
      try {
        current.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "relay stopping"));
      } catch (java.io.IOException e) {
        LOG.debug("Closing {} failed: {}", url, e.toString());
      }
    }
    writer.shutdown();
  }
}
