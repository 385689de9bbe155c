package io.soulgraph.relay.sync;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which sessions want changes of which souls: a session subscribes to a soul by asking for it (or
 * one of its fields), as with GunDB's AXE. The index by soul lives here; each session keeps its own
 * souls ({@link Session#subscribedSouls()}), bounded in count and in bytes of soul text.
 * Thread-safe.
 */
final class Subscriptions {

  private final Map<String, Set<Session>> bySoul = new ConcurrentHashMap<>();
  private final int maxPerSession;
  private final long maxBytesPerSession;

  Subscriptions(int maxPerSession, long maxBytesPerSession) {
    this.maxPerSession = maxPerSession;
    this.maxBytesPerSession = maxBytesPerSession;
  }

  /**
   * Subscribes the session to the soul.
   *
   * @return false, subscribing nothing, once the session holds its maximum of souls or bytes
   */
  boolean subscribe(Session session, String soul) {
    Set<String> souls = session.subscribedSouls();
    if (souls.contains(soul)) {
      return true;
    }
    long weight = MessageLog.weight(soul);
    if (souls.size() >= maxPerSession
        || session.subscribedBytes().get() + weight > maxBytesPerSession) {
      return false;
    }
    if (souls.add(soul)) {
      session.subscribedBytes().addAndGet(weight);
    }
    bySoul.computeIfAbsent(soul, s -> ConcurrentHashMap.newKeySet()).add(session);
    return true;
  }

  /** The sessions subscribed to the soul (a live view; may be empty). */
  Set<Session> of(String soul) {
    Set<Session> sessions = bySoul.get(soul);
    return sessions == null ? Set.of() : sessions;
  }

  /** The souls at least one session is subscribed to (a live view). */
  Set<String> souls() {
    return bySoul.keySet();
  }

  /** Drops every subscription of a closed session. */
  void remove(Session session) {
    for (String soul : session.subscribedSouls()) {
      bySoul.computeIfPresent(
          soul,
          (s, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
          });
    }
    session.subscribedSouls().clear();
    session.subscribedBytes().set(0);
  }
}
