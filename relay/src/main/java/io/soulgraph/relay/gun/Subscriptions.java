package io.soulgraph.relay.gun;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which peers want changes of which souls: a peer subscribes to a soul by asking for it (or one of
 * its fields), as with GunDB's AXE. Bounded per peer. Thread-safe.
 */
public final class Subscriptions {

  private final Map<String, Set<Peer>> bySoul = new ConcurrentHashMap<>();
  private final Map<Peer, Set<String>> byPeer = new ConcurrentHashMap<>();
  private final int maxPerPeer;

  public Subscriptions(int maxPerPeer) {
    this.maxPerPeer = maxPerPeer;
  }

  /** Subscribes the peer to the soul; ignored once the peer holds its maximum. */
  public void subscribe(Peer peer, String soul) {
    Set<String> souls = byPeer.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet());
    if (souls.size() >= maxPerPeer && !souls.contains(soul)) {
      return;
    }
    souls.add(soul);
    bySoul.computeIfAbsent(soul, s -> ConcurrentHashMap.newKeySet()).add(peer);
  }

  /** The peers subscribed to the soul (a live view; may be empty). */
  public Set<Peer> of(String soul) {
    Set<Peer> peers = bySoul.get(soul);
    return peers == null ? Set.of() : peers;
  }

  /** The souls at least one peer is subscribed to (a live view). */
  public Set<String> souls() {
    return bySoul.keySet();
  }

  /** Drops every subscription of a closed peer. */
  public void remove(Peer peer) {
    Set<String> souls = byPeer.remove(peer);
    if (souls == null) {
      return;
    }
    for (String soul : souls) {
      bySoul.computeIfPresent(
          soul,
          (s, peers) -> {
            peers.remove(peer);
            return peers.isEmpty() ? null : peers;
          });
    }
  }
}
