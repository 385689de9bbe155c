package io.soulgraph.graph.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.tinkerpop.gremlin.process.computer.Computer;
import org.apache.tinkerpop.gremlin.process.computer.GraphComputer;
import org.apache.tinkerpop.gremlin.process.computer.traversal.strategy.decoration.VertexProgramStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.P;
import org.apache.tinkerpop.gremlin.process.traversal.TextP;
import org.apache.tinkerpop.gremlin.process.traversal.Step;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.TraversalStrategies;
import org.apache.tinkerpop.gremlin.process.traversal.Traverser;
import org.apache.tinkerpop.gremlin.process.traversal.TraversalStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__;
import org.apache.tinkerpop.gremlin.process.traversal.step.Mutating;
import org.apache.tinkerpop.gremlin.process.traversal.step.ReadWriting;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.ElementMapStep;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.LambdaMapStep;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.AbstractTraversalStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.decoration.SubgraphStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.verification.VerificationException;
import org.apache.tinkerpop.gremlin.process.traversal.util.TraversalHelper;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.Transaction;

/**
 * A Gremlin traversal source over the stored graph that cannot write: the only writer is the
 * store's commit thread, because a write made anywhere else would bypass HAM, reach no
 * subscriber, and never converge with other replicas.
 *
 * <p>Its strategies refuse every mutating step ({@code addV}, {@code property}, {@code drop},
 * ...), every step that reads or writes files ({@code io()}), graph computers (a vertex program
 * can write results back), and {@code tx()}; {@code withoutStrategies} and {@code withStrategies}
 * cannot remove or replace them. {@link #userView} also hides the store's own data (the metadata
 * vertex and the HAM entries of each node), so counts and labels match what users put.
 *
 * <p>{@link #getGraph()} still returns the backend graph: TinkerPop builds every traversal from
 * it. No Gremlin client can call it (bytecode and gremlin-lang only name steps); a Groovy script
 * can, which is why the relay does not run Groovy unless told to.
 */
public final class ReadOnlyTraversalSource extends GraphTraversalSource {

  static final String REFUSAL =
      "Soulgraph's Gremlin is read-only: writes would bypass HAM conflict resolution."
          + " Write through the Gun protocol (/gun) or the Java SoulStore API instead.";

  /** The property keys that hold the store's own data, never a user's field. */
  static final List<String> INTERNAL_KEYS =
      List.of(JanusBackend.ENTRIES, JanusBackend.META_KEY, JanusBackend.META_CONTEXT);

  /** Whether a property key holds the store's own data: the keys above and every entry key. */
  static boolean isInternalKey(Object key) {
    return key instanceof String name
        && (INTERNAL_KEYS.contains(name) || FieldNames.isEntryKey(name));
  }

  private final List<TraversalStrategy<?>> locked;

  private ReadOnlyTraversalSource(Graph graph, List<TraversalStrategy<?>> locked) {
    // a copy: the strategies a graph starts from are a process-wide cache shared by every source
    super(graph, TraversalStrategies.GlobalCache.getStrategies(graph.getClass()).clone());
    this.locked = locked;
    getStrategies().addStrategies(locked.toArray(TraversalStrategy[]::new));
  }

  /**
   * The user's graph: one vertex per soul with its fields, edges for links; no metadata vertex,
   * no HAM records.
   */
  public static ReadOnlyTraversalSource userView(Graph graph) {
    return new ReadOnlyTraversalSource(
        graph, List.of(ReadOnlyVerification.INSTANCE, new InternalsHidden()));
  }

  /** Everything the backend holds, read-only: for operators looking at the store's own data. */
  public static ReadOnlyTraversalSource internals(Graph graph) {
    return new ReadOnlyTraversalSource(graph, List.of(ReadOnlyVerification.INSTANCE));
  }

  @Override
  @SuppressWarnings("rawtypes")
  public GraphTraversalSource withoutStrategies(Class<? extends TraversalStrategy>... strategies) {
    Class[] kept =
        Arrays.stream(strategies)
            .filter(strategy -> locked.stream().noneMatch(l -> l.getClass() == strategy))
            .toArray(Class[]::new);
    return relock(super.withoutStrategies(kept));
  }

  @Override
  public GraphTraversalSource withStrategies(TraversalStrategy... strategies) {
    for (TraversalStrategy<?> strategy : strategies) {
      if (strategy instanceof VertexProgramStrategy) {
        throw new UnsupportedOperationException(
            "Soulgraph's Gremlin runs no graph computer (OLAP): " + REFUSAL);
      }
    }
    return relock(super.withStrategies(strategies));
  }

  @Override
  public GraphTraversalSource withComputer() {
    throw new UnsupportedOperationException(
        "Soulgraph's Gremlin runs no graph computer (OLAP): " + REFUSAL);
  }

  @Override
  public GraphTraversalSource withComputer(Computer computer) {
    return withComputer();
  }

  @Override
  public GraphTraversalSource withComputer(Class<? extends GraphComputer> computer) {
    return withComputer();
  }

  /** Transactions are the store's: Gremlin gets neither commit nor rollback. */
  @Override
  public Transaction tx() {
    throw new UnsupportedOperationException("tx() is not offered: " + REFUSAL);
  }

  private GraphTraversalSource relock(GraphTraversalSource source) {
    source.getStrategies().addStrategies(locked.toArray(TraversalStrategy[]::new));
    return source;
  }

  /** Refuses mutating and file-reading/writing steps anywhere in a traversal. */
  static final class ReadOnlyVerification
      extends AbstractTraversalStrategy<TraversalStrategy.VerificationStrategy>
      implements TraversalStrategy.VerificationStrategy {

    static final ReadOnlyVerification INSTANCE = new ReadOnlyVerification();

    private ReadOnlyVerification() {}

    @Override
    public void apply(Traversal.Admin<?, ?> traversal) {
      for (Step<?, ?> step : traversal.getSteps()) {
        if (step instanceof Mutating) {
          throw new VerificationException(
              "The provided traversal has a mutating step and thus is not read only: " + step
                  + ". " + REFUSAL, traversal);
        }
        if (step instanceof ReadWriting) {
          throw new VerificationException(
              "io() reads or writes files on the server and is not offered: " + step, traversal);
        }
      }
    }
  }

  /**
   * Hides the metadata vertex (label {@code %meta}) and the internal property keys. A class of
   * its own, so that a user's {@code withStrategies(new SubgraphStrategy(...))} adds a filter
   * instead of replacing this one.
   */
  static final class InternalsHidden
      extends AbstractTraversalStrategy<TraversalStrategy.DecorationStrategy>
      implements TraversalStrategy.DecorationStrategy {

    private final SubgraphStrategy subgraph =
        SubgraphStrategy.build()
            .vertices(__.hasLabel(JanusBackend.NODE_LABEL))
            .vertexProperties(__.not(__.hasKey(
                P.within(INTERNAL_KEYS).or(TextP.startingWith(FieldNames.ENTRY_PREFIX)))))
            .create();

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void apply(Traversal.Admin<?, ?> traversal) {
      subgraph.apply(traversal);
      // SubgraphStrategy filters values(), properties() and valueMap(), but not elementMap()
      for (ElementMapStep step :
          TraversalHelper.getStepsOfClass(ElementMapStep.class, traversal)) {
        LambdaMapStep<Map<Object, Object>, Map<Object, Object>> hide =
            new LambdaMapStep<>(traversal, InternalsHidden::withoutInternalKeys);
        TraversalHelper.insertAfterStep(hide, step, traversal);
        TraversalHelper.copyLabels(step, hide, true);
      }
    }

    private static Map<Object, Object> withoutInternalKeys(Traverser<Map<Object, Object>> map) {
      Map<Object, Object> copy = new LinkedHashMap<>(map.get());
      copy.keySet().removeIf(ReadOnlyTraversalSource::isInternalKey);
      return copy;
    }

    @Override
    public Set<Class<? extends DecorationStrategy>> applyPrior() {
      return subgraph.applyPrior();
    }

    @Override
    public Set<Class<? extends DecorationStrategy>> applyPost() {
      return subgraph.applyPost();
    }
  }
}
