package io.soulgraph.proptests;

import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.StateClock;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.Value;

/**
 * A deliberately naive writer: a real {@link HamPeer} for everything it receives, but it stamps
 * its own writes with its clock alone instead of {@code max(now, seen + ε)}. With skewed clocks
 * its overwrites lose to what they overwrote, which the clock-skew property must notice.
 */
final class PlainStampPeer implements Peer<Update> {

  private final String id;
  private final StateClock clock;
  private final HamPeer inner;
  private long counter;

  private PlainStampPeer(String id, Ticker ticker, double drift) {
    this.id = id;
    this.clock = new StateClock(ticker);
    this.inner = new HamPeer(id, ticker, drift);
  }

  static Peer.Factory<Update> factory(double drift) {
    return (id, ticker) -> new PlainStampPeer(id, ticker, drift);
  }

  @Override
  public Update write(String soul, String field, Value value) {
    Update update =
        new Update(soul, field, new FieldState(value, clock.next()), new Dot(id, ++counter));
    inner.receive(update);
    return update;
  }

  @Override
  public void receive(Update update) {
    inner.receive(update);
  }

  @Override
  public void releaseDue() {
    inner.releaseDue();
  }

  @Override
  public FieldState field(String soul, String field) {
    return inner.field(soul, field);
  }

  @Override
  public Graph snapshot() {
    return inner.snapshot();
  }
}
