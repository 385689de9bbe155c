package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Handshakes in flight count towards --max-connections until their sessions open or lapse. */
final class ConnectionPlacesTest {

  private final AtomicLong now = new AtomicLong();
  private final ConnectionPlaces places = new ConnectionPlaces(2, now::get);

  @Test
  void handshakesInFlight_fillTheLimit_beforeAnySessionOpens() {
    assertTrue(places.hold());
    assertTrue(places.hold());
    assertFalse(places.hold(), "two handshakes in flight fill a limit of two");
    assertFalse(places.take(false), "nor may another transport's connection take their places");

    assertTrue(places.take(true));
    assertTrue(places.take(true));
    assertFalse(places.hold());
    places.release();
    assertTrue(places.hold(), "a closed session frees its place");
  }

  @Test
  void aHandshakeWithoutASession_freesItsPlace_atOnceOrWhenItLapses() {
    assertTrue(places.hold());
    assertTrue(places.hold());
    places.unhold();
    assertTrue(places.hold(), "a refused upgrade gives its place back");

    now.addAndGet(ConnectionPlaces.HOLD_NANOS - 1);
    assertFalse(places.hold());
    now.addAndGet(1);
    assertTrue(places.hold(), "places held past their time lapse");
    assertTrue(places.take(true));
    assertTrue(places.take(true), "a session whose held place lapsed opens in a free one");
    assertFalse(places.take(true), "and none opens over the limit");
  }
}
