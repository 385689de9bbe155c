package io.soulgraph.relay.http;

import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.sync.SyncCore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /gun} WebSocket, served by Jetty directly rather than through Javalin's WebSocket
 * routes: Javalin keeps each upgrade's whole HTTP context (servlet request and response, the
 * HTTP/1 connection and parser, the headers, an HTTP session) for the connection's life, about
 * half of what an idle connection cost (docs/benchmarks.md, idle connections). Here a connection
 * holds only Jetty's WebSocket objects and one {@link GunEndpoint}.
 */
final class GunSocketServlet extends JettyWebSocketServlet {

  private static final Logger LOG = LoggerFactory.getLogger(GunSocketServlet.class);
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  /** A flood of refused connections logs one WARN per interval, the rest at DEBUG. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  /** A request attribute: the upgrade made an endpoint, whose session opens in the held place. */
  private static final String PLACE_TAKEN = GunSocketServlet.class.getName() + ".placeTaken";

  private final transient SyncCore core;
  private final transient GunLimits limits;
  private final AtomicLong lastRefusalLogged =
      new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
  private final AtomicLong connectionIds = new AtomicLong();

  GunSocketServlet(SyncCore core, GunLimits limits) {
    this.core = core;
    this.limits = limits;
  }

  @Override
  protected void configure(JettyWebSocketServletFactory factory) {
    factory.setMaxTextMessageSize(limits.maxFrameBytes());
    factory.setIdleTimeout(IDLE_TIMEOUT);
    // permessage-deflate holds a zlib deflater (~100 KiB of native memory) per connection for its
    // whole life: 10,000 idle tabs cost 1 GiB beside the heap (docs/benchmarks.md). Gun frames
    // are small; GunDB's relay does not compress.
    factory.getAvailableExtensionNames().remove("permessage-deflate");
    factory.setCreator(
        (request, response) -> {
          request.setServletAttribute(PLACE_TAKEN, Boolean.TRUE);
          return new GunEndpoint(core, "ws:" + connectionIds.incrementAndGet() + "@"
              + request.getRemoteSocketAddress());
        });
  }

  /**
   * Refuses an upgrade over {@code --max-connections} before it happens, with 503 and why. Each
   * upgrade holds its place from this check until its session opens ({@link
   * SyncCore#holdPlace}), so a burst of handshakes cannot all pass the check at once.
   */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws jakarta.servlet.ServletException, IOException {
    if (core.holdPlace()) {
      try {
        super.service(request, response);
      } finally {
        if (request.getAttribute(PLACE_TAKEN) == null) { // not an upgrade, or a refused one
          core.releaseHeldPlace();
        }
      }
      return;
    }
    long now = System.nanoTime();
    long last = lastRefusalLogged.get();
    boolean log = now - last > REFUSAL_LOG_INTERVAL_NANOS
        && lastRefusalLogged.compareAndSet(last, now);
    (log ? LOG.atWarn() : LOG.atDebug())
        .log("Refused a WebSocket from {}: at the limit of {} connections (--max-connections)",
            request.getRemoteAddr(), limits.maxConnections());
    byte[] body = ("Too many connections (the relay's --max-connections is "
        + limits.maxConnections() + "); try again later").getBytes(StandardCharsets.UTF_8);
    response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setContentType("text/plain; charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
