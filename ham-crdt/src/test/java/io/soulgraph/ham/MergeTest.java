package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one merge step, against a plain map: what it applies, holds, and claims in the context. */
final class MergeTest {

  private static final double NOW = 1_000;

  /** Fields in a map, a holding area of {@code room} writes. */
  private static final class MapTarget implements Merge.Target {
    final Map<String, FieldState> fields = new HashMap<>();
    final List<Update> held = new ArrayList<>();
    final int room;

    MapTarget(int room) {
      this.room = room;
    }

    @Override
    public FieldState current(String soul, String field) {
      return fields.get(soul + "." + field);
    }

    @Override
    public void apply(Update update) {
      fields.put(update.soul() + "." + update.field(), update.fieldState());
    }

    @Override
    public void hold(Update update) {
      held.add(update);
    }

    @Override
    public String holdRefusal(List<Update> future) {
      return held.size() + future.size() <= room ? null : "full";
    }

    @Override
    public boolean holdsAnyOf(CausalContext context) {
      return held.stream().anyMatch(u -> context.contains(u.dot()));
    }
  }

  private static Update update(String field, Object value, double state, long counter) {
    Value v = value instanceof Number n ? Value.of(n.doubleValue()) : Value.of((String) value);
    return new Update("s", field, new FieldState(v, state), new Dot("p", counter));
  }

  @Test
  void receive_claimsTheDotOfAppliedAndDominatedWrites_notOfHeldOnes() {
    MapTarget target = new MapTarget(10);
    CausalContext context = new CausalContext();
    assertEquals(HamDecision.ACCEPT, Merge.receive(update("f", "b", 10, 1), target, context, NOW, 0));
    assertEquals(HamDecision.HISTORICAL,
        Merge.receive(update("f", "a", 5, 2), target, context, NOW, 0));
    assertEquals(HamDecision.Outcome.DEFER,
        Merge.receive(update("g", "x", NOW + 1, 3), target, context, NOW, 0).outcome());
    assertTrue(context.contains(new Dot("p", 1)));
    assertTrue(context.contains(new Dot("p", 2)));
    assertFalse(context.contains(new Dot("p", 3)));
    assertEquals(Value.of("b"), target.current("s", "f").value());
    assertEquals(1, target.held.size());
  }

  @Test
  void antiEntropy_futureWritesThatDoNotFit_nothingApplied() {
    MapTarget target = new MapTarget(1);
    CausalContext context = new CausalContext();
    CausalContext sender = new CausalContext();
    Merge.BatchResult result = Merge.antiEntropy(List.of(update("f", 1, 10, 1),
        update("g", 2, NOW + 5, 2), update("h", 3, NOW + 6, 3)), sender, target, context, NOW, 0);
    assertEquals("full", result.refusal());
    assertTrue(target.fields.isEmpty());
    assertTrue(target.held.isEmpty());
    assertEquals(new CausalContext(), context);
  }

  @Test
  void antiEntropy_senderContext_takenOnlyWhenGivenAndNothingItNamesIsHeld() {
    MapTarget target = new MapTarget(10);
    CausalContext context = new CausalContext();
    CausalContext sender = new CausalContext();
    for (long c = 1; c <= 4; c++) {
      sender.add(new Dot("p", c));
    }
    Merge.BatchResult first = Merge.antiEntropy(List.of(update("f", 1, 10, 1)), null, target,
        context, NOW, 0);
    assertFalse(first.contextTaken());
    assertNull(first.refusal());
    Merge.antiEntropy(List.of(update("g", 2, NOW + 5, 2)), null, target, context, NOW, 0);
    Merge.BatchResult last = Merge.antiEntropy(List.of(update("h", 3, 10, 3)), sender, target,
        context, NOW, 0);
    assertFalse(last.contextTaken());
    assertFalse(context.contains(new Dot("p", 4)));
    target.held.clear(); // its write landed (or lost) elsewhere
    assertTrue(Merge.antiEntropy(List.of(), sender, target, context, NOW, 0).contextTaken());
    assertTrue(context.contains(new Dot("p", 4)));
  }
}
