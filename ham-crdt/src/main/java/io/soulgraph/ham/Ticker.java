package io.soulgraph.ham;

/**
 * A source of wall-clock milliseconds since the epoch. Injected everywhere a machine time is
 * needed, so that tests (and property tests with skewed clocks) control time instead of reading a
 * static clock.
 */
@FunctionalInterface
public interface Ticker {

  /** Milliseconds since the Unix epoch, as {@code Date.now()} gives them in JavaScript. */
  long millis();

  /** The system wall clock. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }
}
