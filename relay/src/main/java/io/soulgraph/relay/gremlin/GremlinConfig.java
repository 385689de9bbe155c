package io.soulgraph.relay.gremlin;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the embedded Gremlin Server listens.
 *
 * @param enabled false to run no Gremlin Server ({@code --no-gremlin})
 * @param host the interface to bind; loopback by default, because Groovy scripts are code
 * @param port the port (TinkerPop's usual 8182 by default)
 * @param evaluationTimeout how long one request may run before it is cancelled with an error
 */
public record GremlinConfig(boolean enabled, String host, int port, Duration evaluationTimeout) {

  /** The default port of Gremlin Server, which every driver assumes. */
  public static final int DEFAULT_PORT = 8182;

  public GremlinConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(evaluationTimeout, "evaluationTimeout");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "Expected a Gremlin port in 1..65535 but received " + port);
    }
    if (evaluationTimeout.isNegative() || evaluationTimeout.isZero()) {
      throw new IllegalArgumentException(
          "Expected a positive evaluation timeout but received " + evaluationTimeout);
    }
  }

  /** No Gremlin Server. */
  public static GremlinConfig disabled() {
    return new GremlinConfig(false, "127.0.0.1", DEFAULT_PORT, Duration.ofSeconds(30));
  }

  /** Enabled on 127.0.0.1:8182 with a 30 s evaluation timeout. */
  public static GremlinConfig defaults() {
    return new GremlinConfig(true, "127.0.0.1", DEFAULT_PORT, Duration.ofSeconds(30));
  }
}
