package io.soulgraph.libp2p.pubsub;

import io.soulgraph.libp2p.PeerId;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Topic-based publish/subscribe, shaped like jvm-libp2p's {@code PubsubApi}: subscribe with a
 * handler, publish bytes, and validate messages before they are delivered or forwarded.
 *
 * <p>Handlers and validators run on the router thread, one at a time, in arrival order; they
 * must not block.
 */
public interface PubsubApi {
  /** Subscribes {@code handler} to {@code topic}; the first subscription joins the topic. */
  Subscription subscribe(String topic, Consumer<PubsubMessage> handler);

  /**
   * Signs and publishes {@code data} on {@code topic} to every peer we know is subscribed to it
   * (flood publishing). Completes with the number of peers it was sent to; with no connection at
   * all, nothing is signed or cached (a peer that connects later does not get it by gossip).
   */
  CompletableFuture<Integer> publish(String topic, byte[] data);

  /**
   * Whether a {@link #publish} now could reach a peer: false while there is no connection at all,
   * when publishing signs, sends and caches nothing. A publisher may skip preparing its message.
   */
  boolean reachesPeers();

  /**
   * Sets the validator of {@code topic}'s messages (replacing any earlier one): a message it does
   * not accept is neither delivered nor forwarded.
   */
  void setValidator(String topic, Validator validator);

  /** The peers in our mesh for {@code topic}, as of now. */
  Set<PeerId> meshPeers(String topic);

  /** The peers we know are subscribed to {@code topic}, as of now. */
  Set<PeerId> topicPeers(String topic);
}
