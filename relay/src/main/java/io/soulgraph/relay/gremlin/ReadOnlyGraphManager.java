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
 * Serves the store's two read-only traversal sources: {@code g} (the user's graph) and {@code
 * internals} (everything the backend holds, for operators).
 *
 * <p>Gremlin Server builds its GraphManager reflectively from {@link Settings}; the sources come
 * in through {@link EndpointSettings}. The manager never closes the graph (the relay does) and
 * never commits: if anything modified the graph anyway (possible only with Groovy enabled), the
 * transaction is rolled back and the request fails.
 */
public final class ReadOnlyGraphManager implements GraphManager {

  static final String GRAPH_NAME = "graph";
  static final String SOURCE_NAME = "g";
  static final String INTERNALS_NAME = "internals";
  static final String REFUSAL =
      "Soulgraph's Gremlin is read-only: writes would bypass HAM conflict resolution."
          + " Write through the Gun protocol (/gun) or the Java SoulStore API instead.";

  private final Map<String, Graph> graphs = new ConcurrentHashMap<>();
  private final Map<String, TraversalSource> sources = new ConcurrentHashMap<>();

  /** Called by Gremlin Server. */
  public ReadOnlyGraphManager(Settings settings) {
    if (!(settings instanceof EndpointSettings endpoint)) {
      throw new IllegalStateException("Expected the relay's EndpointSettings");
    }
    graphs.put(GRAPH_NAME, endpoint.userView.getGraph());
    sources.put(SOURCE_NAME, endpoint.userView);
    sources.put(INTERNALS_NAME, endpoint.internals);
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
    throw new UnsupportedOperationException(REFUSAL);
  }

  @Override
  public Set<String> getTraversalSourceNames() {
    return sources.keySet();
  }

  @Override
  public TraversalSource getTraversalSource(String name) {
    return sources.get(name);
  }

  /** Gremlin Server registers the sources it finds in the bindings; only ours are accepted. */
  @Override
  public void putTraversalSource(String name, TraversalSource source) {
    if (sources.get(name) != source) {
      throw new UnsupportedOperationException(REFUSAL);
    }
  }

  @Override
  public TraversalSource removeTraversalSource(String name) {
    throw new UnsupportedOperationException(REFUSAL);
  }

  /** Scripts see the traversal sources only, never the graph object. */
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
        throw new IllegalStateException(REFUSAL);
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
