package io.soulgraph.relay.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class BackoffTest {

  @Test
  void delay_doublesFromBase_andStopsAtCap() {
    Backoff backoff = Backoff.defaults();
    assertEquals(Duration.ofMillis(100), backoff.delay(0));
    assertEquals(Duration.ofMillis(200), backoff.delay(1));
    assertEquals(Duration.ofMillis(3200), backoff.delay(5));
    assertEquals(Duration.ofSeconds(5), backoff.delay(6));
    assertEquals(Duration.ofSeconds(5), backoff.delay(1000));
  }
}
