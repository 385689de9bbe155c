package io.soulgraph.libp2p.pubsub;

/** A handler's subscription to a topic; cancel it to stop receiving. */
public interface Subscription extends AutoCloseable {
  String topic();

  /** Stops this handler; the last one to go leaves the topic (PRUNE, then unsubscribe). */
  void cancel();

  @Override
  default void close() {
    cancel();
  }
}
