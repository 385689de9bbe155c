package io.soulgraph.relay.sync;

/** Why the core ends a session. Each transport maps these to its own close signal. */
public enum Disconnect {
  /** The relay is stopping. */
  SHUTDOWN,
  /** Repeated bad messages or limits exceeded. */
  ABUSE,
  /** A frame over the size limit. */
  TOO_BIG,
  /** At the connection limit. */
  OVERLOADED,
  /** The peer does not read what it is sent. */
  SLOW_READER,
  /** A bug in the relay while serving this session. */
  INTERNAL
}
