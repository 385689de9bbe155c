package io.soulgraph.relay.gremlin;

import java.util.Arrays;
import org.apache.tinkerpop.gremlin.process.traversal.TraversalStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.verification.ReadOnlyStrategy;
import org.apache.tinkerpop.gremlin.structure.Graph;

/**
 * The traversal source {@code g} that Gremlin clients get: {@link ReadOnlyStrategy} applied, and
 * {@code withoutStrategies} cannot remove it (the request is ignored for that strategy, so a
 * mutating step still fails with ReadOnlyStrategy's own message). Writes made through Gremlin
 * would bypass HAM, never reach subscribers, and break convergence between replicas.
 */
public final class ReadOnlyTraversalSource extends GraphTraversalSource {

  static final String REFUSAL =
      "Soulgraph's Gremlin endpoint is read-only: writes would bypass HAM conflict resolution."
          + " Write through the Gun protocol (/gun) or the Java SoulStore API instead.";

  ReadOnlyTraversalSource(Graph graph) {
    super(graph);
    getStrategies().addStrategies(ReadOnlyStrategy.instance());
  }

  @Override
  @SuppressWarnings("rawtypes")
  public GraphTraversalSource withoutStrategies(Class<? extends TraversalStrategy>... strategies) {
    Class[] kept =
        Arrays.stream(strategies)
            .filter(strategy -> !ReadOnlyStrategy.class.isAssignableFrom(strategy))
            .toArray(Class[]::new);
    return super.withoutStrategies(kept);
  }
}
