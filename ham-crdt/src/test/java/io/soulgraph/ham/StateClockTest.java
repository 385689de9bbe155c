package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class StateClockTest {

  private final AtomicLong millis = new AtomicLong(1795287994030L);
  private final StateClock clock = new StateClock(millis::get);

  @Test
  void next_sameMillisecond_countsInThousandthsAsGunDoes() {
    assertEquals("1795287994030", JsJson.number(clock.next()));
    assertEquals("1795287994030.001", JsJson.number(clock.next()));
    assertEquals("1795287994030.002", JsJson.number(clock.next()));
    assertEquals("1795287994030.003", JsJson.number(clock.next()));
  }

  @Test
  void next_newMillisecond_restartsTheCounter() {
    clock.next();
    clock.next();
    millis.incrementAndGet();
    assertEquals(1795287994031.0, clock.next());
  }

  @Test
  void next_clockStepsBack_stillIncreases() {
    double before = clock.next();
    millis.addAndGet(-60_000);
    double after = clock.next();
    assertTrue(after > before, after + " should be > " + before);
  }

  @Test
  void stampAfter_seenStateAhead_stampsJustAboveIt() {
    double seen = millis.get() + 120_000.0; // written by a machine two minutes ahead
    double stamp = clock.stampAfter(seen);
    assertEquals(seen + StateClock.EPSILON, stamp);
    assertTrue(clock.next() > stamp);
  }

  @Test
  void stampAfter_seenStateBehind_usesTheClock() {
    assertEquals(millis.get(), clock.stampAfter(millis.get() - 10.0));
  }
}
