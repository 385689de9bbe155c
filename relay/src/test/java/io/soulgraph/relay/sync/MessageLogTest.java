package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class MessageLogTest {

  private final AtomicLong now = new AtomicLong();
  private final MessageLog log = new MessageLog(Duration.ofSeconds(9), 1000, now::get);
  private final Session a = TestSessions.named("a");
  private final Session b = TestSessions.named("b");

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void firstSeen_sameIdFromAnotherConnection_isDuplicate() {
    assertTrue(log.firstSeen("m1", a));
    assertFalse(log.firstSeen("m1", b));
    assertEquals(Optional.of(a), log.routeOf("m1"));
  }

  @Test
  void firstSeen_afterWindow_isNewAgain() {
    log.firstSeen("m1", a);
    advance(Duration.ofSeconds(10));
    log.sweep();
    assertTrue(log.firstSeen("m1", b));
  }

  @Test
  void firstSeen_seenAgainWithinWindow_refreshesWindow() {
    log.firstSeen("m1", a);
    advance(Duration.ofSeconds(8));
    assertFalse(log.firstSeen("m1", a));
    advance(Duration.ofSeconds(8));
    log.sweep();
    assertFalse(log.firstSeen("m1", b), "16 s after first sight, 8 s after the last");
  }

  @Test
  void routeOf_ownId_isEmpty() {
    log.recordOwn("mine");
    assertEquals(Optional.empty(), log.routeOf("mine"));
    assertFalse(log.firstSeen("mine", a), "an echo of our own message is a duplicate");
  }

  @Test
  void routeOf_expired_isEmpty() {
    log.firstSeen("m1", a);
    advance(Duration.ofSeconds(10));
    assertEquals(Optional.empty(), log.routeOf("m1"));
  }

  @Test
  void firstSeen_overCapacity_forgetsOldest() {
    MessageLog small = new MessageLog(Duration.ofSeconds(9), 2, now::get);
    small.firstSeen("1", a);
    small.firstSeen("2", a);
    small.firstSeen("3", a);
    assertEquals(2, small.size());
    assertTrue(small.firstSeen("1", a));
  }
}
