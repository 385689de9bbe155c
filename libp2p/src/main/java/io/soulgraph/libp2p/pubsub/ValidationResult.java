package io.soulgraph.libp2p.pubsub;

/** A validator's verdict on a message (the values jvm-libp2p and js-libp2p use). */
public enum ValidationResult {
  /** Deliver it and forward it. */
  ACCEPT,
  /** Invalid: neither deliver nor forward it, and count it against the peer that sent it. */
  REJECT,
  /** Neither deliver nor forward it, but do not hold it against the sender. */
  IGNORE
}
