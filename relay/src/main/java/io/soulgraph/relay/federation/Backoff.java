package io.soulgraph.relay.federation;

import java.time.Duration;

/**
 * Capped exponential backoff for redialing a peer: {@code min(2^failures × base, cap)}, as
 * y-websocket does (base 100 ms, cap 2.5 s there).
 */
public record Backoff(Duration base, Duration cap) {

  /** 100 ms doubling up to 5 s. */
  public static Backoff defaults() {
    return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  /** The wait before the next dial after {@code failures} consecutive failures. */
  public Duration delay(int failures) {
    int shift = Math.min(Math.max(failures, 0), 30);
    long millis = base.toMillis() << shift;
    return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
  }
}
