package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
  void ownIds_areKnownAsOwn_atAnyAge_withoutTakingRoom() {
    String first = log.nextOwnId();
    String second = log.nextOwnId();
    assertNotEquals(first, second);
    assertEquals(0, log.size(), "own ids are not stored");
    assertEquals(0, log.bytes());
    advance(Duration.ofMinutes(10));
    log.sweep();
    assertFalse(log.firstSeen(first, a), "an echo of our own message is a duplicate");
    assertEquals(Optional.empty(), log.routeOf(second), "a reply to our own message is consumed");
    assertEquals(0, log.size(), "an echo records nothing either");
  }

  @Test
  void ownIds_ofAnotherLog_areAPeersIds() {
    MessageLog other = new MessageLog(Duration.ofSeconds(9), 1000, now::get);
    String theirs = other.nextOwnId();
    assertTrue(log.firstSeen(theirs, a));
    assertEquals(Optional.of(a), log.routeOf(theirs));
  }

  @Test
  void manyIds_growTheRing_andAllExpire() {
    for (int i = 0; i < 5000; i++) {
      assertTrue(log.firstSeen("m" + i, a));
      advance(Duration.ofMillis(1));
    }
    assertEquals(1000, log.size(), "the capacity holds");
    assertTrue(log.firstSeen("m0", a), "the oldest were forgotten first");
    assertFalse(log.firstSeen("m4999", b));
    assertEquals(Optional.of(a), log.routeOf("m4998"));
    advance(Duration.ofSeconds(10));
    log.sweep();
    assertEquals(0, log.size());
    assertEquals(0, log.bytes());
  }

  @Test
  void refreshedId_outlivesItsFirstWindow_untilItsLastSightingExpires() {
    log.firstSeen("m1", a);
    advance(Duration.ofSeconds(5));
    log.firstSeen("m2", a);
    assertFalse(log.firstSeen("m1", b), "seen again at 5 s");
    advance(Duration.ofSeconds(5));
    log.sweep();
    assertEquals(Optional.of(a), log.routeOf("m1"), "10 s after first sight, 5 s after the last");
    advance(Duration.ofSeconds(5));
    log.sweep();
    assertEquals(Optional.empty(), log.routeOf("m1"));
    assertEquals(0, log.size());
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
