package io.soulgraph.relay.gun;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which peers want changes of which souls: a peer subscribes to a soul by asking for it (or one of
 * its fields), as with GunDB's AXE. Bounded per peer, in souls and in bytes of soul text. Thread-safe.
 */
public final class Subscriptions {

  private final Map<String, Set<Peer>> bySoul = new ConcurrentHashMap<>();
  private final Map<Peer, Set<String>> byPeer = new ConcurrentHashMap<>();
  private final Map<Peer, AtomicLong> bytesByPeer = new ConcurrentHashMap<>();
  private final int maxPerPeer;
  private final long maxBytesPerPeer;

  public Subscriptions(int maxPerPeer) {
    this(maxPerPeer, Long.MAX_VALUE);
  }

  public Subscriptions(int maxPerPeer, long maxBytesPerPeer) {
    this.maxPerPeer = maxPerPeer;
    this.maxBytesPerPeer = maxBytesPerPeer;
  }

  /**
   * Subscribes the peer to the soul.
   *
   * @return false, subscribing nothing, once the peer holds its maximum of souls or bytes
   */
  public boolean subscribe(Peer peer, String soul) {
    Set<String> souls = byPeer.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet());
    if (souls.contains(soul)) {
      return true;
    }
    AtomicLong bytes = bytesByPeer.computeIfAbsent(peer, p -> new AtomicLong());
    long weight = MessageLog.weight(soul);
    if (souls.size() >= maxPerPeer || bytes.get() + weight > maxBytesPerPeer) {
      return false;
    }
    if (souls.add(soul)) {
      bytes.addAndGet(weight);
    }
    bySoul.computeIfAbsent(soul, s -> ConcurrentHashMap.newKeySet()).add(peer);
    return true;
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
    bytesByPeer.remove(peer);
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
