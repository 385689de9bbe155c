package io.soulgraph.relay;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.config.RelayConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What can be checked before anything starts, so that a relay that cannot run says why at once,
 * in one line, instead of failing seconds later inside Jetty, Gremlin Server or JanusGraph: peer
 * URLs, the data directory, every listener's port, and that a CQL backend answers.
 */
final class StartupChecks {

  private static final int CQL_CONNECT_TIMEOUT_MS = 3000;
  private static final Set<String> PEER_SCHEMES = Set.of("ws", "wss", "http", "https");

  private StartupChecks() {}

  /**
   * @throws StartupException naming the first problem found and the option that fixes it
   */
  static void check(RelayConfig config) {
    config.peers().forEach(StartupChecks::checkPeer);
    checkBootstrap(config);
    checkDataDir(config.dataDir());
    checkPorts(listeners(config));
    if (config.storage().backend() == StoreConfig.Backend.CQL) {
      checkCqlReachable(config.storage().cql());
    }
  }

  static void checkPeer(URI peer) {
    String scheme = peer.getScheme() == null ? "" : peer.getScheme().toLowerCase(Locale.ROOT);
    if (!PEER_SCHEMES.contains(scheme) || peer.getHost() == null) {
      throw new StartupException(
          "--peer " + peer + " is not a relay URL; expected ws://host:port/gun");
    }
  }

  static void checkBootstrap(RelayConfig config) {
    if (!config.libp2p().enabled()) {
      return;
    }
    try {
      io.soulgraph.relay.p2p.Libp2pNode.bootstrapAddresses(config.libp2p().bootstrap());
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage());
    }
  }

  static void checkDataDir(Path dir) {
    if (dir == null) {
      return;
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new StartupException(
          "data dir " + dir + " is a file, not a directory; use --data-dir DIR");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StartupException(
          "cannot create data dir " + dir + " (" + reason(e) + "); use --data-dir DIR", e);
    }
    if (!Files.isWritable(dir)) {
      throw new StartupException("data dir " + dir + " is not writable; use --data-dir DIR");
    }
  }

  /** One listener the relay opens: where, and the options that move or disable it. */
  record Listener(String name, String host, int port, String options) {}

  static List<Listener> listeners(RelayConfig config) {
    List<Listener> listeners = new ArrayList<>();
    listeners.add(new Listener("WebSocket/HTTP", config.host(), config.port(), "use --port"));
    if (config.gremlin().enabled()) {
      listeners.add(
          new Listener(
              "Gremlin",
              config.gremlin().host(),
              config.gremlin().port(),
              "use --gremlin-port or --no-gremlin"));
    }
    if (config.libp2p().enabled()) {
      listeners.add(
          new Listener(
              "libp2p", config.host(), config.libp2p().port(), "use --libp2p-port or --no-libp2p"));
    }
    return listeners;
  }

  static void checkPorts(List<Listener> listeners) {
    Map<Integer, Listener> byPort = new LinkedHashMap<>();
    for (Listener listener : listeners) {
      if (listener.port() == 0) {
        continue; // any free port
      }
      Listener other = byPort.putIfAbsent(listener.port(), listener);
      if (other != null) {
        throw new StartupException(
            "port "
                + listener.port()
                + " is configured for both "
                + other.name()
                + " and "
                + listener.name()
                + "; "
                + listener.options());
      }
    }
    for (Listener listener : byPort.values()) {
      checkFree(listener);
    }
  }

  private static void checkFree(Listener listener) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // like the real servers: a TIME_WAIT socket is no clash
      socket.bind(new InetSocketAddress(listener.host(), listener.port()));
    } catch (BindException e) {
      String reason = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (reason.contains("assign")) {
        throw new StartupException(
            "cannot listen on "
                + listener.host()
                + " ("
                + listener.name()
                + "): no such local address; use --host",
            e);
      }
      if (reason.contains("permission") || reason.contains("denied")) {
        throw new StartupException(
            "port "
                + listener.port()
                + " ("
                + listener.name()
                + ") needs privileges; "
                + listener.options()
                + " with a port above 1023",
            e);
      }
      throw new StartupException(
          "port " + listener.port() + " (" + listener.name() + ") is in use; " + listener.options(),
          e);
    } catch (IOException e) {
      throw new StartupException(
          "cannot listen on "
              + listener.host()
              + ":"
              + listener.port()
              + " ("
              + listener.name()
              + "): "
              + reason(e),
          e);
    }
  }

  static void checkCqlReachable(StoreConfig.Cql cql) {
    List<String> failures = new ArrayList<>();
    for (String host : cql.hosts()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, cql.port()), CQL_CONNECT_TIMEOUT_MS);
        return;
      } catch (IOException e) {
        failures.add(host + ":" + cql.port() + " (" + reason(e) + ")");
      }
    }
    throw new StartupException(
        "cannot reach Cassandra at "
            + String.join(", ", failures)
            + "; start it, or use --cql-hosts/--cql-port (or --storage berkeleyje)");
  }

  /** The store's failure to open as one line; the cause keeps the details for --verbose. */
  static StartupException storeFailure(RelayConfig config, RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getClass().getSimpleName().contains("EnvironmentLocked")) {
        return new StartupException(
            "data dir "
                + config.dataDir()
                + " is in use by another relay; stop it or use --data-dir DIR",
            e);
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new StartupException(
        "cannot open the "
            + config.storage().backend().name().toLowerCase(Locale.ROOT)
            + " store"
            + (config.dataDir() == null ? "" : " in " + config.dataDir())
            + ": "
            + reason(root),
        e);
  }

  /**
   * Starts a listener; a port taken since {@link #check} (a race) gets the same one line.
   */
  static <T> T listening(Listener listener, Supplier<T> start) {
    try {
      return start.get();
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof BindException) {
          throw new StartupException(
              "port "
                  + listener.port()
                  + " ("
                  + listener.name()
                  + ") is in use; "
                  + listener.options(),
              e);
        }
      }
      throw e;
    }
  }

  static Listener listener(List<Listener> listeners, String name) {
    return listeners.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  /** An exception's message as an operator reads it. */
  static String reason(Throwable e) {
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
