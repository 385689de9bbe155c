package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

final class HamTest {

  private static final double NOW = 1795287911420.0;

  private static FieldState f(Value v, double state) {
    return new FieldState(v, state);
  }

  @Test
  void resolve_unknownField_accepts() {
    assertSame(HamDecision.ACCEPT, Ham.resolve(f(Value.of("x"), NOW), null, NOW));
  }

  @Test
  void resolve_newerState_accepts() {
    assertSame(HamDecision.ACCEPT, Ham.resolve(f(Value.of("a"), NOW), f(Value.of("z"), NOW - 1), NOW));
  }

  @Test
  void resolve_olderState_isHistorical() {
    // capture 05: "older" at an earlier state got no reply and changed nothing
    assertSame(
        HamDecision.HISTORICAL,
        Ham.resolve(f(Value.of("older"), NOW - 1000), f(Value.of("world"), NOW), NOW));
  }

  @Test
  void resolve_equalStates_prefersLexicallyGreaterJsonText() {
    FieldState current = f(Value.of("world"), NOW);
    assertSame(HamDecision.ACCEPT, Ham.resolve(f(Value.of("zzz"), NOW), current, NOW));
    assertSame(HamDecision.HISTORICAL, Ham.resolve(f(Value.of("aaa"), NOW), current, NOW));
  }

  @Test
  void resolve_equalStatesNumbers_compareAsText() {
    // "9" > "10" as text, as JSON.stringify comparison in GunDB
    assertSame(HamDecision.ACCEPT, Ham.resolve(f(Value.of(9), NOW), f(Value.of(10), NOW), NOW));
  }

  @Test
  void resolve_equalStatesAcrossKinds_followFirstCharacterOfJsonText() {
    // strings (") < numbers < false < null < true < links ({)
    FieldState string = f(Value.of("zzz"), NOW);
    FieldState number = f(Value.of(1), NOW);
    FieldState no = f(Value.FALSE, NOW);
    FieldState tombstone = f(Value.NULL, NOW);
    FieldState yes = f(Value.TRUE, NOW);
    FieldState link = f(Value.link("a"), NOW);
    FieldState[] ascending = {string, number, no, tombstone, yes, link};
    for (int i = 1; i < ascending.length; i++) {
      assertSame(HamDecision.ACCEPT, Ham.resolve(ascending[i], ascending[i - 1], NOW));
      assertSame(HamDecision.HISTORICAL, Ham.resolve(ascending[i - 1], ascending[i], NOW));
    }
  }

  @Test
  void resolve_sameValueSameState_isEqual() {
    assertSame(
        HamDecision.EQUAL, Ham.resolve(f(Value.of("v"), NOW), f(Value.of("v"), NOW), NOW));
  }

  @Test
  void resolve_futureState_defersUntilThatState() {
    HamDecision d = Ham.resolve(f(Value.of("later"), NOW + 3000), null, NOW);
    assertEquals(new HamDecision.Defer(NOW + 3000), d);
  }

  @Test
  void resolve_futureStateWithinDrift_accepts() {
    assertSame(HamDecision.ACCEPT, Ham.resolve(f(Value.of("x"), NOW + 5), null, NOW, 10));
  }

  @Test
  void resolve_stateEqualToNow_isNotDeferred() {
    assertSame(HamDecision.ACCEPT, Ham.resolve(f(Value.of("x"), NOW), null, NOW));
  }

  @Test
  void join_isTheHamWinner() {
    FieldState a = f(Value.of("world"), NOW);
    FieldState b = f(Value.of("zzz"), NOW);
    assertSame(b, FieldState.join(a, b));
    assertSame(b, FieldState.join(b, a));
  }
}
