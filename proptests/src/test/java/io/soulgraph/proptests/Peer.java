package io.soulgraph.proptests;

import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Ticker;
import io.soulgraph.ham.Value;

/**
 * One replica in a simulated network, whatever its resolver: the network only writes, delivers
 * messages and reads snapshots, so the same convergence properties run against the real HAM
 * replica and against the broken resolver that shows they are not vacuous.
 *
 * @param <M> what the replica sends its peers for one write
 */
interface Peer<M> {

  /** Makes peers: each gets its own (possibly skewed) clock. */
  @FunctionalInterface
  interface Factory<M> {
    Peer<M> create(String id, Ticker ticker);
  }

  /** A local write; returns the message to broadcast. */
  M write(String soul, String field, Value value);

  /** A message from a peer (possibly a duplicate, possibly late). */
  void receive(M message);

  /** Applies whatever was held for the future and is now due. */
  void releaseDue();

  /** The field as this peer holds it, or {@code null}. */
  FieldState field(String soul, String field);

  /** All data, comparable between peers with {@code equals}. */
  Graph snapshot();
}
