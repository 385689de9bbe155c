package io.soulgraph.relay.gremlin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.server.GremlinServer;
import org.apache.tinkerpop.gremlin.server.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded TinkerPop Gremlin Server over the relay's own graph, read-only, that runs no code:
 * bytecode (Java, Python, JavaScript drivers) without lambdas, and scripts parsed as Gremlin
 * (gremlin-lang) rather than run as Groovy, unless the operator enables Groovy. Serializers are
 * the ones standard drivers use: GraphBinary and GraphSON 3 (and 2), all knowing JanusGraph's
 * types so edges can be returned. See {@link GuardedChannelizer} for origin checks and
 * {@link CredentialsFileAuthenticator} for authentication.
 */
public final class GremlinEndpoint implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GremlinEndpoint.class);
  private static final String JANUS_IO = "org.janusgraph.graphdb.tinkerpop.JanusGraphIoRegistry";
  private static final String SER = "org.apache.tinkerpop.gremlin.util.ser.";

  private final GremlinServer server;
  private final ReadOnlyGraphManager manager;
  private final GremlinConfig config;

  private GremlinEndpoint(
      GremlinServer server, ReadOnlyGraphManager manager, GremlinConfig config) {
    this.server = server;
    this.manager = manager;
    this.config = config;
  }

  /**
   * Starts a Gremlin Server serving {@code userView} as {@code g} and {@code internals} as
   * {@code internals}; both must be read-only (graph-core's {@code SoulStore.readOnlyTraversal()}
   * and {@code readOnlyInternals()}).
   *
   * @throws IllegalStateException if the server cannot start (e.g. the port is taken)
   */
  public static GremlinEndpoint start(
      GraphTraversalSource userView, GraphTraversalSource internals, GremlinConfig config) {
    if (config.credentialsFile() != null) {
      CredentialsFileAuthenticator.read(config.credentialsFile()); // fail early, in one line
    }
    try {
      GremlinServer server = new GremlinServer(settings(config, userView, internals));
      server.start().get(60, TimeUnit.SECONDS);
      ReadOnlyGraphManager manager =
          (ReadOnlyGraphManager) server.getServerGremlinExecutor().getGraphManager();
      if (config.unsafeGroovy()) {
        LOG.warn("Gremlin runs Groovy scripts and lambdas (--gremlin-unsafe-groovy): any client"
            + " that reaches {}:{} can run code as this process", config.host(), config.port());
      }
      LOG.debug("Gremlin Server listening on {}:{}", config.host(), config.port());
      return new GremlinEndpoint(server, manager, config);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Could not start Gremlin Server on " + config.host() + ":" + config.port(), e);
    }
  }

  private static Settings settings(
      GremlinConfig config, GraphTraversalSource userView, GraphTraversalSource internals) {
    EndpointSettings s = new EndpointSettings(config, userView, internals);
    s.host = config.host();
    s.port = config.port();
    s.channelizer = GuardedChannelizer.class.getName();
    s.graphManager = ReadOnlyGraphManager.class.getName();
    s.graphs = new HashMap<>();
    s.evaluationTimeout = config.evaluationTimeout().toMillis();
    s.gremlinPool = 2;
    s.threadPoolWorker = 1;
    s.scriptEngines = new HashMap<>(Map.of(RequestPolicy.GREMLIN_LANG,
        new Settings.ScriptEngineSettings()));
    if (config.unsafeGroovy()) {
      s.scriptEngines.put(RequestPolicy.GROOVY, groovyEngine());
    }
    if (config.credentialsFile() != null) {
      s.authentication = new Settings.AuthenticationSettings();
      s.authentication.authenticator = CredentialsFileAuthenticator.class.getName();
      s.authentication.config = new HashMap<>(Map.of(
          CredentialsFileAuthenticator.FILE_KEY, config.credentialsFile().toString()));
    }
    Map<String, Object> janus = Map.of("ioRegistries", List.of(JANUS_IO));
    s.serializers = List.of(
        serializer("GraphBinaryMessageSerializerV1", janus),
        serializer("GraphSONMessageSerializerV3", janus),
        serializer("GraphSONMessageSerializerV2", janus),
        serializer("GraphBinaryMessageSerializerV1", Map.of("serializeResultToString", true)));
    return s;
  }
  private static Settings.ScriptEngineSettings groovyEngine() {
    Settings.ScriptEngineSettings groovy = new Settings.ScriptEngineSettings();
    groovy.plugins = new HashMap<>(Map.of(
        "org.apache.tinkerpop.gremlin.server.jsr223.GremlinServerGremlinPlugin", Map.of(),
        "org.janusgraph.graphdb.tinkerpop.plugin.JanusGraphGremlinPlugin", Map.of()));
    return groovy;
  }

  private static Settings.SerializerSettings serializer(String name, Map<String, Object> config) {
    Settings.SerializerSettings settings = new Settings.SerializerSettings();
    settings.className = SER + name;
    settings.config = config;
    return settings;
  }

  /** The address clients connect to, {@code ws://host:port/gremlin}. */
  public String url() {
    return "ws://" + config.host() + ":" + config.port() + "/gremlin";
  }

  public int port() {
    return config.port();
  }

  /** Stops the server, leaving the graph open (the relay owns it). */
  @Override
  public void close() {
    manager.detach();
    try {
      server.stop().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Gremlin Server did not stop cleanly", e);
    }
  }
}
