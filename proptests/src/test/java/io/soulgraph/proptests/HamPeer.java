package io.soulgraph.proptests;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.HamDecision;
import io.soulgraph.ham.Replica;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import io.soulgraph.ham.Value;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The real thing: an {@link io.soulgraph.ham.Replica} (drift 0, as GunDB, unless asked). It records,
 * independently of the replica's own bookkeeping, every write it has decided (written, or
 * received and not deferred), so that anti-entropy can be checked to send none of them back.
 */
final class HamPeer implements Peer<Update>, SyncPeer {

  /** Large enough that no simulated write is ever dropped for want of room. */
  static final int DEFERRED_CAPACITY = 100_000;

  private final Replica replica;
  private final Set<Dot> decided = new HashSet<>();

  HamPeer(String id, Ticker ticker, double drift) {
    this.replica = new Replica(id, ticker, drift, DEFERRED_CAPACITY);
  }

  /** The factory for networks of real replicas with GunDB's default drift of 0. */
  static Peer.Factory<Update> factory() {
    return factory(0);
  }

  /** The factory for networks of real replicas that accept states up to {@code drift} ahead. */
  static Peer.Factory<Update> factory(double drift) {
    return (id, ticker) -> new HamPeer(id, ticker, drift);
  }

  Replica replica() {
    return replica;
  }

  @Override
  public String id() {
    return replica.id();
  }

  @Override
  public CausalContext context() {
    return replica.context();
  }

  @Override
  public UpdateCursor missingFor(CausalContext remote, int maxBatch) {
    return replica.missingFor(remote, maxBatch);
  }

  @Override
  public void applyAntiEntropy(List<Update> batch, CausalContext senderContext) {
    replica.applyAntiEntropy(batch, senderContext);
  }

  @Override
  public Set<Dot> decided() {
    return decided;
  }

  @Override
  public Update write(String soul, String field, Value value) {
    Update update = replica.write(soul, field, value);
    decided.add(update.dot());
    return update;
  }

  @Override
  public void receive(Update update) {
    record(update, replica.receive(update));
  }

  private void record(Update update, HamDecision decision) {
    if (decision.outcome() != HamDecision.Outcome.DEFER) {
      decided.add(update.dot());
    }
  }

  @Override
  public void releaseDue() {
    replica.releaseDue().forEach(u -> decided.add(u.dot()));
  }

  @Override
  public FieldState field(String soul, String field) {
    return replica.field(soul, field);
  }

  @Override
  public Graph snapshot() {
    return replica.snapshot();
  }
}
