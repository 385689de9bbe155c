package io.soulgraph.libp2p.pubsub;

/**
 * Decides whether a message on a topic is delivered and forwarded, after its pubsub signature
 * has been checked. Runs on the router thread: it must be quick and must not block.
 */
@FunctionalInterface
public interface Validator {
  ValidationResult validate(PubsubMessage message);
}
