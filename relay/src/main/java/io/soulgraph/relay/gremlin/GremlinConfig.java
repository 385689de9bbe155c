package io.soulgraph.relay.gremlin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the embedded Gremlin Server listens, and who may talk to it.
 *
 * @param enabled false to run no Gremlin Server ({@code --no-gremlin})
 * @param host the interface to bind; loopback by default
 * @param port the port (TinkerPop's usual 8182 by default)
 * @param evaluationTimeout how long one request may run before it is cancelled with an error
 * @param allowedOrigins browser origins ({@code http://host:port}) whose pages may open the
 *     WebSocket; a handshake carrying any other {@code Origin} is refused. Native drivers send no
 *     Origin and are not affected.
 * @param credentialsFile {@code user:password} lines; when set, every client must authenticate
 *     (SASL PLAIN, what every Gremlin driver speaks). Required when {@code host} is not loopback.
 * @param unsafeGroovy evaluate Groovy scripts and lambdas: arbitrary code in the relay's JVM, for
 *     trusted clients only. Off: scripts are parsed as Gremlin (gremlin-lang), never run as code.
 */
public record GremlinConfig(
    boolean enabled,
    String host,
    int port,
    Duration evaluationTimeout,
    List<String> allowedOrigins,
    Path credentialsFile,
    boolean unsafeGroovy) {

  /** The default port of Gremlin Server, which every driver assumes. */
  public static final int DEFAULT_PORT = 8182;

  public GremlinConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(evaluationTimeout, "evaluationTimeout");
    allowedOrigins = allowedOrigins.stream().map(GremlinConfig::normalizeOrigin).toList();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "Expected a Gremlin port in 1..65535 but received " + port);
    }
    if (evaluationTimeout.isNegative() || evaluationTimeout.isZero()) {
      throw new IllegalArgumentException(
          "Expected a positive evaluation timeout but received " + evaluationTimeout);
    }
    if (enabled && credentialsFile == null && !isLoopback(host)) {
      throw new IllegalArgumentException(
          "Gremlin would listen on " + host + ", beyond loopback, without authentication;"
              + " give --gremlin-credentials FILE (user:password lines) or bind 127.0.0.1");
    }
  }

  /** Loopback only, no browser origins, no authentication, no Groovy. */
  public GremlinConfig(boolean enabled, String host, int port, Duration evaluationTimeout) {
    this(enabled, host, port, evaluationTimeout, List.of(), null, false);
  }

  /** No Gremlin Server. */
  public static GremlinConfig disabled() {
    return new GremlinConfig(false, "127.0.0.1", DEFAULT_PORT, Duration.ofSeconds(30));
  }

  /** Enabled on 127.0.0.1:8182 with a 30 s evaluation timeout. */
  public static GremlinConfig defaults() {
    return new GremlinConfig(true, "127.0.0.1", DEFAULT_PORT, Duration.ofSeconds(30));
  }

  /** This configuration with browser pages of {@code origins} let in. */
  public GremlinConfig withAllowedOrigins(List<String> origins) {
    return new GremlinConfig(
        enabled, host, port, evaluationTimeout, origins, credentialsFile, unsafeGroovy);
  }

  /** This configuration requiring the credentials in {@code file}. */
  public GremlinConfig withCredentials(Path file) {
    return new GremlinConfig(
        enabled, host, port, evaluationTimeout, allowedOrigins, file, unsafeGroovy);
  }

  /** This configuration running Groovy scripts and lambdas (arbitrary code) or not. */
  public GremlinConfig withUnsafeGroovy(boolean unsafe) {
    return new GremlinConfig(
        enabled, host, port, evaluationTimeout, allowedOrigins, credentialsFile, unsafe);
  }

  /** An origin as browsers send it: scheme, host and port only, lower case, no trailing slash. */
  static String normalizeOrigin(String origin) {
    String trimmed = origin.trim().toLowerCase(Locale.ROOT);
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (!trimmed.matches("https?://[^/\\s]+")) {
      throw new IllegalArgumentException(
          "Expected an origin like http://localhost:3000 but received '" + origin + "'");
    }
    return trimmed;
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
