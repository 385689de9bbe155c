package io.soulgraph.relay.gremlin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.tinkerpop.gremlin.server.GremlinServer;
import org.apache.tinkerpop.gremlin.server.Settings;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded TinkerPop Gremlin Server over the relay's own graph, read-only. Serves bytecode
 * (Java, Python, JavaScript drivers) and scripts in gremlin-groovy and gremlin-lang, with the
 * serializers the standard drivers use: GraphBinary and GraphSON 3 (and 2), all knowing
 * JanusGraph's types so edges can be returned.
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
   * Starts a Gremlin Server over {@code graph}.
   *
   * @throws IllegalStateException if the server cannot start (e.g. the port is taken)
   */
  public static GremlinEndpoint start(Graph graph, GremlinConfig config) {
    String token = UUID.randomUUID().toString();
    ReadOnlyGraphManager.HANDOFF.put(token, graph);
    try {
      GremlinServer server = new GremlinServer(settings(config, token));
      server.start().get(60, TimeUnit.SECONDS);
      ReadOnlyGraphManager manager =
          (ReadOnlyGraphManager) server.getServerGremlinExecutor().getGraphManager();
      LOG.debug("Gremlin Server listening on {}:{}", config.host(), config.port());
      return new GremlinEndpoint(server, manager, config);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Could not start Gremlin Server on " + config.host() + ":" + config.port(), e);
    } finally {
      ReadOnlyGraphManager.HANDOFF.remove(token);
    }
  }

  private static Settings settings(GremlinConfig config, String token) {
    Settings s = new Settings();
    s.host = config.host();
    s.port = config.port();
    s.graphManager = ReadOnlyGraphManager.class.getName();
    s.graphs = new HashMap<>(Map.of(ReadOnlyGraphManager.GRAPH_NAME, token));
    s.evaluationTimeout = config.evaluationTimeout().toMillis();
    s.gremlinPool = 2;
    s.threadPoolWorker = 1;
    s.scriptEngines = new HashMap<>(Map.of(
        "gremlin-groovy", groovyEngine(),
        "gremlin-lang", new Settings.ScriptEngineSettings()));
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
