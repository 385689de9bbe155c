package io.soulgraph.relay.sync;

/**
 * The origin tag the core gives the store with a put: the session that wrote it, and the session
 * whose get it answered (it was sent the answer already). Pushes of the committed change skip both.
 *
 * @param writer the session the put came from
 * @param answered the asker the put was routed to as an answer, or null
 */
record PutOrigin(Session writer, Session answered) {

  /** Whether {@code session} has this change already. */
  boolean has(Session session) {
    return session == writer || session == answered;
  }
}
