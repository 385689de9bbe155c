package io.soulgraph.relay.sync;

import java.util.Set;

/**
 * The origin tag the core gives the store with a put: the session that wrote it, the session
 * whose get it answered (it was sent the answer already), and the clients the change was pushed
 * to before the commit, if it came from a Soulgraph peer ({@link ChangeFanout#pushEarly}). Pushes
 * of the committed change skip them all.
 *
 * @param writer the session the put came from
 * @param answered the asker the put was routed to as an answer, or null
 * @param pushedEarly the clients pushed the change before its commit (added to just before
 *     they are pushed), or null when it is pushed after its commit only
 */
record PutOrigin(Session writer, Session answered, Set<Session> pushedEarly) {

  PutOrigin(Session writer, Session answered) {
    this(writer, answered, null);
  }

  /** Whether {@code session} has this change already. */
  boolean has(Session session) {
    return session == writer || session == answered
        || (pushedEarly != null && pushedEarly.contains(session));
  }
}
