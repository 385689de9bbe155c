package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.soulgraph.relay.gun.GunException;
import io.soulgraph.relay.gun.GunLimits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class SessionBudgetTest {

  private final AtomicLong now = new AtomicLong();
  private final GunLimits limits =
      new GunLimits(1000, 8, 10, 10, 2, 3, 3, 10, 10, Duration.ofSeconds(9));
  private final SessionBudget budget = new SessionBudget(limits, now::get);

  @Test
  void takeMessage_overRate_failsUntilRefilled() {
    for (int i = 0; i < 10; i++) {
      budget.takeMessage();
    }
    assertThrows(GunException.LimitExceeded.class, budget::takeMessage);
    now.addAndGet(Duration.ofMillis(200).toNanos());
    assertDoesNotThrow(budget::takeMessage);
  }

  @Test
  void beginPut_overInFlight_failsAndEndPutFrees() {
    budget.beginPut();
    budget.beginPut();
    assertThrows(GunException.Busy.class, () -> budget.beginPut());
    assertEquals(2, budget.inFlightPuts());
    budget.endPut();
    assertDoesNotThrow(() -> budget.beginPut());
  }

  @Test
  void strike_atMaxStrikes_isAbusive() {
    budget.strike("one");
    budget.strike("two");
    GunException.Abusive abusive =
        assertThrows(GunException.Abusive.class, () -> budget.strike("three"));
    assertEquals("Closed after 3 bad messages; last: three", abusive.getMessage());
  }

  @Test
  void beginSend_overOutbound_refuses() {
    assertEquals(true, budget.beginSend());
    assertEquals(true, budget.beginSend());
    assertEquals(true, budget.beginSend());
    assertEquals(false, budget.beginSend());
    budget.endSend();
    assertEquals(true, budget.beginSend());
  }

  @Test
  void tryForwardGet_overBudget_refusesUntilRefilled() {
    for (int i = 0; i < SessionBudget.FORWARDED_GETS_PER_SECOND; i++) {
      assertEquals(true, budget.tryForwardGet());
    }
    assertEquals(false, budget.tryForwardGet());
    now.addAndGet(Duration.ofMillis(100).toNanos());
    assertEquals(true, budget.tryForwardGet());
  }

  /* --- bytes --- */

  private final SessionBudget small = new SessionBudget(
      limits.withMemory(new GunLimits.Memory(1000, 10, 1000, 1000, 64, 1000, 1000)), now::get);

  @Test
  void beginPut_overInFlightBytes_isBusyButOneBigPutAloneFits() {
    small.beginPut(5000);
    assertThrows(GunException.Busy.class, () -> small.beginPut(1));
    small.endPut(5000);
    small.beginPut(600);
    assertThrows(GunException.Busy.class, () -> small.beginPut(600));
    assertEquals(1, small.inFlightPuts());
  }

  @Test
  void beginSend_overOutboundBytes_reportsASlowReader() {
    assertEquals(true, small.beginSend(900));
    assertEquals(false, small.beginSend(200));
    small.endSend(900);
    assertEquals(true, small.beginSend(5000));
    assertEquals(5000, small.outboundBytes());
  }
}
