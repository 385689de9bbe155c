package io.soulgraph.relay.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.JavalinStaticResourceHandler;
import io.javalin.http.staticfiles.Location;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.sync.SyncCore;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's HTTP face on Javalin: the Gun WebSocket at {@code /gun} ({@link GunSocketServlet}:
 * only framing text; the protocol is {@link SyncCore}'s), {@code /health}, {@code /metrics},
 * {@code /info}, and the browser client's files at the web root.
 */
public final class RelayServer {

  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
  private static final String PUBLIC_DIR = "/public";

  /**
   * Connections the kernel completes and holds until Jetty accepts them. Jetty's default leaves it
   * to the JDK's 50: a burst of reconnecting tabs (a relay restart, a network blip) overflowed it,
   * and every dropped SYN cost its client a 1 s retransmit (10,000 connections opened in 35 s
   * where GunDB's relay, Node's 511, took 4 s: docs/benchmarks.md). Linux caps it at
   * {@code net.core.somaxconn}.
   */
  static final int ACCEPT_BACKLOG = 1024;

  private final Javalin app;

  /**
   * @param status the JSON bodies of /health and /info, and the metrics text
   */
  public RelayServer(
      String host, int port, SyncCore core, GunLimits limits, StatusPages status) {
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.addConnector(
                  (server, http) -> {
                    ServerConnector connector =
                        new ServerConnector(server, new HttpConnectionFactory(http));
                    connector.setHost(host);
                    connector.setPort(port);
                    connector.setAcceptQueueSize(ACCEPT_BACKLOG);
                    return connector;
                  });
              cfg.jetty.modifyServletContextHandler(
                  handler ->
                      handler.addServlet(
                          new ServletHolder(new GunSocketServlet(core, limits)), "/gun"));
              routes(cfg, status);
              staticFiles(cfg);
            });
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
    // Javalin's own handler reads the files through the class loader. Jetty's (the default)
    // mounts the whole shaded jar as a zip file system to serve them: four mounts of its 48,000
    // entries held 52 MB of a just-started relay's 76 MB of live heap.
    cfg.resourceHandler(new JavalinStaticResourceHandler());
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
