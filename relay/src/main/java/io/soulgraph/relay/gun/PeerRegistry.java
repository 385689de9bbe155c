package io.soulgraph.relay.gun;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections, and a helper to send to one of them and count it. Thread-safe. */
final class PeerRegistry {

  private final Set<Peer> open = ConcurrentHashMap.newKeySet();

  boolean add(Peer peer) {
    return open.add(peer);
  }

  boolean remove(Peer peer) {
    return open.remove(peer);
  }

  /** A live view of the open connections. */
  Set<Peer> all() {
    return open;
  }

  int size() {
    return open.size();
  }
}
