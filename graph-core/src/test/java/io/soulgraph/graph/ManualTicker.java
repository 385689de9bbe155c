package io.soulgraph.graph;

import io.soulgraph.ham.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand. */
final class ManualTicker implements Ticker {

  private final AtomicLong millis;

  ManualTicker(long start) {
    this.millis = new AtomicLong(start);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  void advance(long by) {
    millis.addAndGet(by);
  }
}
