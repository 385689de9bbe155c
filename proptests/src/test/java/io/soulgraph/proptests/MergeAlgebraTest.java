package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.theory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Ham;
import io.soulgraph.ham.HamDecision;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Resolution;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/**
 * The merge is a join-semilattice at every level (field, node, graph): commutative, associative
 * and idempotent, over inputs full of exact ties. And the per-field decision {@link Ham#resolve}
 * agrees with the order the joins use, so a replica that decides field by field and one that joins
 * whole snapshots hold the same data.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class MergeAlgebraTest {

  private static final Gen<Node> NODES = HamGen.nodes("n");

  @Test
  void fieldJoin_anyTwoStates_isCommutative() {
    theory().forAll(HamGen.fieldStates(), HamGen.fieldStates())
        .checkAssert((a, b) -> assertEquals(FieldState.join(a, b), FieldState.join(b, a)));
  }

  @Test
  void fieldJoin_anyThreeStates_isAssociative() {
    theory().forAll(HamGen.fieldStates(), HamGen.fieldStates(), HamGen.fieldStates())
        .checkAssert((a, b, c) -> assertEquals(
            FieldState.join(FieldState.join(a, b), c), FieldState.join(a, FieldState.join(b, c))));
  }

  @Test
  void fieldJoin_sameState_isIdempotent() {
    theory().forAll(HamGen.fieldStates())
        .checkAssert(a -> assertEquals(a, FieldState.join(a, a)));
  }

  @Test
  void nodeJoin_anyTwoVersions_isCommutative() {
    theory().forAll(NODES, NODES).checkAssert((a, b) -> assertEquals(a.join(b), b.join(a)));
  }

  @Test
  void nodeJoin_anyThreeVersions_isAssociative() {
    theory().forAll(NODES, NODES, NODES)
        .checkAssert((a, b, c) -> assertEquals(a.join(b).join(c), a.join(b.join(c))));
  }

  @Test
  void nodeJoin_sameVersion_isIdempotent() {
    theory().forAll(NODES).checkAssert(a -> assertEquals(a, a.join(a)));
  }

  @Test
  void graphJoin_anyTwoGraphs_isCommutative() {
    theory().forAll(HamGen.graphs(), HamGen.graphs())
        .checkAssert((a, b) -> assertEquals(a.join(b), b.join(a)));
  }

  @Test
  void graphJoin_anyThreeGraphs_isAssociative() {
    theory().forAll(HamGen.graphs(), HamGen.graphs(), HamGen.graphs())
        .checkAssert((a, b, c) -> assertEquals(a.join(b).join(c), a.join(b.join(c))));
  }

  @Test
  void graphJoin_sameGraph_isIdempotent() {
    theory().forAll(HamGen.graphs()).checkAssert(a -> assertEquals(a, a.join(a)));
  }

  @Test
  void graphJoin_withEmpty_isIdentity() {
    theory().forAll(HamGen.graphs()).checkAssert(a -> assertEquals(a, a.join(Graph.EMPTY)));
  }

  @Test
  void resolve_statesNotInFuture_agreesWithJoinOrder() {
    theory().forAll(HamGen.fieldStates(), HamGen.fieldStates()).checkAssert((incoming, current) -> {
      int order = FieldState.HAM_ORDER.compare(incoming, current);
      HamDecision.Outcome expected = order > 0 ? HamDecision.Outcome.ACCEPT
          : order < 0 ? HamDecision.Outcome.HISTORICAL : HamDecision.Outcome.EQUAL;
      double now = Double.MAX_VALUE;
      assertEquals(expected, Ham.resolve(incoming, current, now).outcome(),
          () -> incoming + " against " + current);
    });
  }

  @Test
  void resolutionOf_anyDiff_appliesExactlyTheJoinAndDefersTheFuture() {
    theory().forAll(HamGen.graphs(), HamGen.graphs(), HamGen.states())
        .checkAssert((current, diff, now) -> {
          Resolution r = Resolution.of(diff, current::field, now, 0);
          Graph due = Graph.EMPTY;
          Graph future = Graph.EMPTY;
          for (Node node : diff.nodes().values()) {
            for (var field : node.fields().entrySet()) {
              Graph one = Graph.of(Node.empty(node.soul())
                  .with(field.getKey(), field.getValue().value(), field.getValue().state()));
              if (field.getValue().state() > now) {
                future = future.join(one);
              } else {
                due = due.join(one);
              }
            }
          }
          assertEquals(current.join(due), current.join(r.accepted()));
          assertEquals(future, r.deferred());
          r.accepted().nodes().values().forEach(node -> node.fields().forEach((name, won) -> {
            FieldState had = current.field(node.soul(), name);
            assertTrue(had == null || FieldState.HAM_ORDER.compare(won, had) > 0,
                () -> won + " accepted over " + had);
          }));
          assertEquals(diff.fieldCount(),
              r.accepted().fieldCount() + r.deferred().fieldCount() + r.historical() + r.equal());
        });
  }
}
