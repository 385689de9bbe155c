package io.soulgraph.proptests;

import static io.soulgraph.proptests.Theories.theory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Replica;
import io.soulgraph.ham.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Future states stay invisible until the replica's clock (plus its drift) reaches them and are
 * applied once it does, whatever the order in which writes arrive and time passes. Checked
 * against a model: after every step, each field holds the join of the writes received so far
 * whose state is not ahead of the clock plus drift, and the deferred count is the number of
 * received writes still ahead of it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class DeferralTest {

  private static final long START = Network.START_MILLIS;

  /** One step: a write arrives (state offset from the start, value), or time advances. */
  private record Step(boolean arrival, long offsetMillis, int fieldIndex, int valueIndex) {}

  private static final List<String> FIELDS = List.of("x", "y");

  private static Gen<Step> steps() {
    Gen<Long> offset = Generate.frequency(
        Pair.of(2, longs().between(-2_000, 10_000)),
        Pair.of(1, Generate.pick(List.of(0L, 1L, 5_000L))));
    return Generate.booleans().zip(offset, integers().between(0, 1), integers().between(0, 5),
        Step::new);
  }

  @Test
  void receive_futureStatesInAnyOrder_visibleExactlyOnceClockReachesThem() {
    theory().forAll(lists().of(steps()).ofSizeBetween(1, 40),
            lists().of(HamGen.tieProneValues()).ofSize(6),
            Generate.pick(List.of(0.0, 0.0, 1.0, 2_500.0)))
        .checkAssert((steps, values, drift) -> {
          long[] now = {START};
          Replica replica = new Replica("r", () -> now[0], drift, 1_000);
          List<Update> received = new ArrayList<>();
          long counter = 0;
          for (Step step : steps) {
            if (step.arrival()) {
              double state = START + step.offsetMillis() + (step.valueIndex() % 3) / 999.0;
              Update update = new Update("s", FIELDS.get(step.fieldIndex()),
                  new FieldState(values.get(step.valueIndex()), state), new Dot("w", ++counter));
              received.add(update);
              replica.receive(update);
            } else {
              now[0] += Math.abs(step.offsetMillis());
              replica.releaseDue();
            }
            assertMatchesModel(replica, received, now[0] + drift);
          }
        });
  }

  /** {@code horizon}: the clock plus the drift, the latest state the replica may apply. */
  private static void assertMatchesModel(
      Replica replica, List<Update> received, double horizon) {
    int ahead = 0;
    for (String field : FIELDS) {
      FieldState expected = null;
      for (Update update : received) {
        if (!update.field().equals(field)) {
          continue;
        }
        if (update.fieldState().state() > horizon) {
          ahead++;
        } else {
          expected = expected == null ? update.fieldState()
              : FieldState.join(expected, update.fieldState());
        }
      }
      assertEquals(expected, replica.field("s", field), () -> field + " at " + horizon);
    }
    assertEquals(ahead, replica.deferredCount(), () -> "writes held at " + horizon);
  }
}
