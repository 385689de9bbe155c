package io.soulgraph.relay.gremlin;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.script.Bindings;
import javax.script.SimpleBindings;
import org.apache.tinkerpop.gremlin.process.traversal.TraversalSource;
import org.apache.tinkerpop.gremlin.server.GraphManager;
import org.apache.tinkerpop.gremlin.server.Settings;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.janusgraph.graphdb.tinkerpop.JanusGraphBlueprintsGraph;
import org.janusgraph.graphdb.transaction.StandardJanusGraphTx;

/**
 * Serves exactly one graph, owned by the relay, as the read-only traversal source {@code g}.
 *
 * <p>Gremlin Server builds its GraphManager reflectively from {@link Settings} and captures the
 * script bindings at construction, so the graph is handed over through {@link #HANDOFF}, keyed by
 * a token that the endpoint puts into {@code settings.graphs}. The manager never closes the graph
 * (the relay does) and never commits: a script that modified the graph through the graph API gets
 * its transaction rolled back and an error.
 */
public final class ReadOnlyGraphManager implements GraphManager {

  static final String GRAPH_NAME = "graph";
  static final String SOURCE_NAME = "g";
  static final Map<String, Graph> HANDOFF = new ConcurrentHashMap<>();

  private final Map<String, Graph> graphs = new ConcurrentHashMap<>();
  private final Map<String, TraversalSource> sources = new ConcurrentHashMap<>();

  /** Called by Gremlin Server. */
  public ReadOnlyGraphManager(Settings settings) {
    String token = settings.graphs.get(GRAPH_NAME);
    Graph graph = token == null ? null : HANDOFF.remove(token);
    if (graph == null) {
      throw new IllegalStateException(
          "Expected a graph handed over under token " + token + " but found none");
    }
    graphs.put(GRAPH_NAME, graph);
    sources.put(SOURCE_NAME, new ReadOnlyTraversalSource(graph));
  }

  /** Forgets the graph so that stopping Gremlin Server does not close it. */
  void detach() {
    sources.clear();
    graphs.clear();
  }

  @Override
  public Set<String> getGraphNames() {
    return graphs.keySet();
  }

  @Override
  public Graph getGraph(String name) {
    return graphs.get(name);
  }

  @Override
  public void putGraph(String name, Graph graph) {
    throw new UnsupportedOperationException(ReadOnlyTraversalSource.REFUSAL);
  }

  @Override
  public Set<String> getTraversalSourceNames() {
    return sources.keySet();
  }

  @Override
  public TraversalSource getTraversalSource(String name) {
    return sources.get(name);
  }

  /** Gremlin Server registers the sources it finds in the bindings; only ours is accepted. */
  @Override
  public void putTraversalSource(String name, TraversalSource source) {
    if (sources.get(name) != source) {
      throw new UnsupportedOperationException(ReadOnlyTraversalSource.REFUSAL);
    }
  }

  @Override
  public TraversalSource removeTraversalSource(String name) {
    throw new UnsupportedOperationException(ReadOnlyTraversalSource.REFUSAL);
  }

  /** Scripts see only {@code g}, not the graph object. */
  @Override
  public Bindings getAsBindings() {
    Bindings bindings = new SimpleBindings();
    bindings.putAll(sources);
    return bindings;
  }

  @Override
  public void rollbackAll() {
    graphs.values().forEach(ReadOnlyGraphManager::rollbackOpenTx);
  }

  @Override
  public void rollback(Set<String> names) {
    rollbackAll();
  }

  /** Gremlin Server commits after each script; here that refuses any modification. */
  @Override
  public void commitAll() {
    for (Graph graph : graphs.values()) {
      boolean modified = hasModifications(graph);
      rollbackOpenTx(graph);
      if (modified) {
        throw new IllegalStateException(ReadOnlyTraversalSource.REFUSAL);
      }
    }
  }

  @Override
  public void commit(Set<String> names) {
    commitAll();
  }

  @Override
  public Graph openGraph(String name, Function<String, Graph> supplier) {
    Graph graph = graphs.get(name);
    if (graph == null) {
      throw new IllegalArgumentException(
          "Expected graph '" + GRAPH_NAME + "' but received " + name);
    }
    return graph;
  }

  @Override
  public Graph removeGraph(String name) {
    return graphs.remove(name);
  }

  private static boolean hasModifications(Graph graph) {
    if (graph instanceof JanusGraphBlueprintsGraph janus
        && janus.getCurrentThreadTx() instanceof StandardJanusGraphTx tx) {
      return tx.isOpen() && tx.hasModifications();
    }
    return false;
  }

  private static void rollbackOpenTx(Graph graph) {
    if (graph.features().graph().supportsTransactions() && graph.tx().isOpen()) {
      graph.tx().rollback();
    }
  }
}
