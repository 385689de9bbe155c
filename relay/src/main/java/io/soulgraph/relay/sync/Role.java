package io.soulgraph.relay.sync;

/**
 * What the other end of a session is, learnt from its handshake (GunDB's {@code dam} messages, the
 * Soulgraph marker in {@code dam:"?"}, or the libp2p protocol id), never from who dialed.
 */
public enum Role {
  /** A browser or Node app: gets only what it subscribed to. */
  CLIENT,
  /** A GunDB relay (or another gun mesh peer) we federate with: flooded with every change. */
  GUN_RELAY,
  /** Another Soulgraph relay or native peer: live changes by its publisher, catch-up by anti-entropy. */
  SOULGRAPH_PEER
}
