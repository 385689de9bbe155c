package io.soulgraph.relay.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Role;
import io.soulgraph.relay.sync.Session;
import io.soulgraph.relay.sync.SyncCore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's HTTP face on Javalin: the Gun WebSocket at {@code /gun} (only framing text; the
 * protocol is {@link SyncCore}'s), {@code /health}, {@code /metrics}, {@code /info}, and the
 * browser client's files at the web root.
 */
public final class RelayServer {

  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
  private static final String PUBLIC_DIR = "/public";
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  /** A flood of refused connections logs one WARN per interval, the rest at DEBUG. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  private final java.util.concurrent.atomic.AtomicLong lastRefusalLogged =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
  private final Javalin app;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /**
   * @param status the JSON bodies of /health and /info, and the metrics text
   */
  public RelayServer(
      String host, int port, SyncCore core, GunLimits limits, StatusPages status) {
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = host;
              cfg.jetty.port = port;
              cfg.jetty.modifyWebSocketServletFactory(
                  factory -> {
                    factory.setMaxTextMessageSize(limits.maxFrameBytes());
                    factory.setIdleTimeout(IDLE_TIMEOUT);
                    // permessage-deflate holds a zlib deflater (~100 KiB of native memory) per
                    // connection for its whole life: 10,000 idle tabs cost 1 GiB beside the heap
                    // (docs/benchmarks.md). Gun frames are small; GunDB's relay does not compress.
                    factory.getAvailableExtensionNames().remove("permessage-deflate");
                  });
              cfg.routes.wsBeforeUpgrade("/gun", ctx -> refuseWhenFull(core, limits, ctx));
              cfg.routes.ws("/gun", ws -> gunSocket(ws, core));
              routes(cfg, status);
              staticFiles(cfg);
            });
  }

  private void refuseWhenFull(SyncCore core, GunLimits limits, io.javalin.http.Context ctx) {
    if (!core.hasRoomForSession()) {
      long now = System.nanoTime();
      long last = lastRefusalLogged.get();
      boolean log = now - last > REFUSAL_LOG_INTERVAL_NANOS
          && lastRefusalLogged.compareAndSet(last, now);
      (log ? LOG.atWarn() : LOG.atDebug())
          .log("Refused a WebSocket from {}: at the limit of {} connections (--max-connections)",
              ctx.ip(), limits.maxConnections());
      String text = "Too many connections (the relay's --max-connections is "
          + limits.maxConnections() + "); try again later";
      try {
        // Committed here, the response ends the request: the upgrade never happens.
        ctx.res().setStatus(503);
        ctx.res().setContentType("text/plain; charset=utf-8");
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
        ctx.res().flushBuffer();
      } catch (java.io.IOException gone) {
        LOG.debug("Refusing a WebSocket: the client left first", gone);
      }
      throw new io.javalin.http.HttpResponseException(503, text);
    }
  }

  private void gunSocket(WsConfig ws, SyncCore core) {
    ws.onConnect(
        ctx -> {
          WsLink link = new WsLink(ctx);
          Session session = core.open(link, Role.CLIENT);
          if (session == null) {
            link.disconnect(Disconnect.OVERLOADED, "Too many connections");
          } else {
            sessions.put(ctx.sessionId(), session);
          }
        });
    ws.onMessage(ctx -> withSession(ctx, session -> core.receive(session, ctx.message())));
    ws.onBinaryMessage(
        ctx ->
            withSession(
                ctx,
                session ->
                    core.receive(session, StandardCharsets.UTF_8.decode(ctx.data()).toString())));
    ws.onClose(
        ctx -> {
          Session session = sessions.remove(ctx.sessionId());
          if (session != null) {
            core.close(session);
          }
        });
    ws.onError(ctx -> LOG.debug("WebSocket error on {}", ctx.sessionId(), ctx.error()));
  }

  private void withSession(WsContext ctx, java.util.function.Consumer<Session> action) {
    Session session = sessions.get(ctx.sessionId());
    if (session != null) {
      action.accept(session);
    }
  }

  private static void routes(JavalinConfig cfg, StatusPages status) {
    cfg.routes.get(
        "/health",
        ctx -> {
          boolean ready = status.ready().get();
          ctx.status(ready ? 200 : 503)
              .contentType("application/json")
              .result(status.health().get());
        });
    cfg.routes.get("/info", ctx -> ctx.contentType("application/json").result(status.info().get()));
    cfg.routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(status.metrics().get()));
  }

  private static void staticFiles(JavalinConfig cfg) {
    if (RelayServer.class.getResource(PUBLIC_DIR) == null) {
      LOG.debug("No browser client on the class path ({}): not serving static files", PUBLIC_DIR);
      return;
    }
    cfg.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = PUBLIC_DIR;
          files.location = Location.CLASSPATH;
          // Users' own apps load the client from other origins (and file://): module scripts
          // are fetched in CORS mode, so without this header the browser refuses them.
          files.headers = Map.of("Cache-Control", "max-age=0", "Access-Control-Allow-Origin", "*");
          files.mimeTypes.add("text/javascript", "js", "mjs");
          files.mimeTypes.add("text/css", "css");
          files.mimeTypes.add("text/html", "html");
          files.mimeTypes.add("application/json", "json");
          files.mimeTypes.add("image/svg+xml", "svg");
        });
  }

  /** Starts listening; returns the port actually bound. */
  public int start() {
    app.start();
    return app.port();
  }

  /** Stops accepting and closes every connection. */
  public void stop() {
    app.stop();
  }

  /** The JSON and text bodies of the status routes, computed on each request. */
  public record StatusPages(
      Supplier<Boolean> ready,
      Supplier<String> health,
      Supplier<String> info,
      Supplier<String> metrics) {}
}
