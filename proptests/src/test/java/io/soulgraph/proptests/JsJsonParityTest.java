package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.theory;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Ham;
import io.soulgraph.ham.HamDecision;
import io.soulgraph.ham.JsJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link JsJson} writes exactly what JavaScript's {@code JSON.stringify} writes (checked against
 * node itself), and at equal states HAM keeps the value whose JSON text JavaScript orders greater.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class JsJsonParityTest {

  private static JsStringify js;

  @BeforeAll
  static void startNode() throws Exception {
    js = new JsStringify();
  }

  @AfterAll
  static void stopNode() throws Exception {
    js.close();
  }

  @Test
  void quote_generatedStrings_matchesJsonStringify() {
    theory().forAll(HamGen.texts()).checkAssert(s ->
        assertEquals(js.stringify(JsStringify.string(s)).texts().get(0), JsJson.quote(s)));
  }

  @Test
  void number_doublesOfEveryMagnitude_matchesJsonStringify() {
    theory().forAll(HamGen.numbers()).checkAssert(x ->
        assertEquals(js.stringify(JsStringify.number(x)).texts().get(0), JsJson.number(x),
            () -> "bits " + Long.toHexString(Double.doubleToRawLongBits(x))));
  }

  @Test
  void number_everyPowerOfTenAndItsNeighbours_matchesJsonStringify() {
    List<Double> xs = new ArrayList<>(HamGen.boundaryNumbers());
    for (int exponent = -324; exponent <= 308; exponent++) {
      double x = Double.parseDouble("1e" + exponent);
      xs.addAll(List.of(x, Math.nextDown(x), Math.nextUp(x), -x, 3 * x, 5 * x / 7));
    }
    String[] specs = xs.stream().map(JsStringify::number).toArray(String[]::new);
    List<String> texts = js.stringify(specs).texts();
    for (int i = 0; i < xs.size(); i++) {
      assertEquals(texts.get(i), JsJson.number(xs.get(i)), "for " + xs.get(i));
    }
  }

  @Test
  void resolve_equalStates_keepsTheGreaterJavaScriptText() {
    theory().forAll(HamGen.values(), HamGen.tieProneValues(), HamGen.states())
        .checkAssert((incoming, current, state) -> {
          JsStringify.Answer js = JsJsonParityTest.js.stringify(
              JsStringify.value(incoming), JsStringify.value(current));
          assertEquals(js.texts(), List.of(incoming.json(), current.json()));
          HamDecision.Outcome expected = js.compareFirstTwo() > 0 ? HamDecision.Outcome.ACCEPT
              : js.compareFirstTwo() < 0 ? HamDecision.Outcome.HISTORICAL
              : HamDecision.Outcome.EQUAL;
          HamDecision decision = Ham.resolve(
              new FieldState(incoming, state), new FieldState(current, state), Double.MAX_VALUE);
          assertEquals(expected, decision.outcome());
        });
  }
}
