package io.soulgraph.relay.sync;

/**
 * Where committed changes go beyond the subscribed sessions: flooding GunDB relays is one
 * implementation, publishing to a gossipsub topic (federation) another. Called off the store's
 * commit thread, once per committed change; must not block.
 */
public interface ChangePublisher {

  /**
   * Publishes one committed change.
   *
   * @param change what changed, with its put message encoded once for every receiver
   */
  void publish(CommittedChange change);
}
