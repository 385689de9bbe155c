package io.soulgraph.relay.gun;

import java.time.Duration;

/**
 * The bounds that keep one peer from hurting the others. All are per connection except {@code
 * maxConnections} and {@code dedupWindow}.
 *
 * @param maxFrameBytes the largest text frame accepted, in UTF-16 code units (and bytes at Jetty)
 * @param maxDepth the deepest JSON nesting accepted in a frame
 * @param maxMessagesPerFrame the most messages in one array frame
 * @param messagesPerSecond the sustained message rate of one peer (burst: one second's worth)
 * @param maxInFlightPuts the most puts of one peer waiting for their commit
 * @param maxOutboundFrames the most frames queued to one peer before it counts as not reading
 * @param maxStrikes how many answered offences before the connection is closed
 * @param maxConnections the most open connections (dialed relays included)
 * @param maxSubscriptions the most souls one peer can be subscribed to
 * @param dedupWindow how long message ids are remembered (GunDB: 9 s)
 * @param memory the byte bounds on what one peer can make the relay hold
 */
public record GunLimits(
    int maxFrameBytes,
    int maxDepth,
    int maxMessagesPerFrame,
    int messagesPerSecond,
    int maxInFlightPuts,
    int maxOutboundFrames,
    int maxStrikes,
    int maxConnections,
    int maxSubscriptions,
    Duration dedupWindow,
    Memory memory) {

  /** As the canonical constructor, with {@link Memory#defaults()}. */
  public GunLimits(int maxFrameBytes, int maxDepth, int maxMessagesPerFrame, int messagesPerSecond,
      int maxInFlightPuts, int maxOutboundFrames, int maxStrikes, int maxConnections,
      int maxSubscriptions, Duration dedupWindow) {
    this(maxFrameBytes, maxDepth, maxMessagesPerFrame, messagesPerSecond, maxInFlightPuts,
        maxOutboundFrames, maxStrikes, maxConnections, maxSubscriptions, dedupWindow,
        Memory.defaults());
  }

  /**
   * Bounds in bytes (UTF-16 code units of JSON text for what arrives, of frames for what leaves),
   * so that one wide node or one long id costs its size, not one unit of a count.
   *
   * @param maxPutBytes the largest put graph (the JSON text of a message's {@code put}); larger
   *     puts are answered with {@code err} and nothing of them is applied
   * @param maxPutFields the most fields in one put, over all its nodes
   * @param maxInFlightBytes the most bytes of one peer's puts waiting for commit
   * @param maxOutboundBytes the most bytes of frames queued to one peer; a peer that does not read
   *     them is closed (1013) instead of growing the heap
   * @param maxIdLength the longest message id ({@code #}, {@code @}) remembered for dedup and
   *     reply routing
   * @param maxSubscriptionBytes the most bytes of souls one peer can be subscribed to
   * @param messageLogBytes the most bytes of message ids and reply routes remembered in all
   */
  public record Memory(
      int maxPutBytes,
      int maxPutFields,
      long maxInFlightBytes,
      long maxOutboundBytes,
      int maxIdLength,
      long maxSubscriptionBytes,
      long messageLogBytes) {

    public Memory {
      requirePositive("maxPutBytes", maxPutBytes);
      requirePositive("maxPutFields", maxPutFields);
      requirePositive("maxInFlightBytes", maxInFlightBytes);
      requirePositive("maxOutboundBytes", maxOutboundBytes);
      requirePositive("maxIdLength", maxIdLength);
      requirePositive("maxSubscriptionBytes", maxSubscriptionBytes);
      requirePositive("messageLogBytes", messageLogBytes);
    }

    /** Sized for the relay's default 512 MiB heap (docs/relay.md, limits). */
    public static Memory defaults() {
      return new Memory(1 << 20, 20_000, 16L << 20, 16L << 20, 1024, 4L << 20, 64L << 20);
    }
  }

  public GunLimits {
    java.util.Objects.requireNonNull(memory, "memory");
    requirePositive("maxFrameBytes", maxFrameBytes);
    requirePositive("maxDepth", maxDepth);
    requirePositive("maxMessagesPerFrame", maxMessagesPerFrame);
    requirePositive("messagesPerSecond", messagesPerSecond);
    requirePositive("maxInFlightPuts", maxInFlightPuts);
    requirePositive("maxOutboundFrames", maxOutboundFrames);
    requirePositive("maxStrikes", maxStrikes);
    requirePositive("maxConnections", maxConnections);
    requirePositive("maxSubscriptions", maxSubscriptions);
    if (dedupWindow.compareTo(Duration.ofSeconds(9)) < 0) {
      throw new IllegalArgumentException(
          "Expected a dedup window of at least 9 s (GunDB's) but received " + dedupWindow);
    }
  }

  /** Defaults sized for a small relay on one machine. */
  public static GunLimits defaults() {
    return new GunLimits(
        8 * 1024 * 1024, 64, 1000, 5000, 5000, 20_000, 20, 10_000, 100_000, Duration.ofSeconds(9));
  }

  /** These limits with other byte bounds. */
  public GunLimits withMemory(Memory otherMemory) {
    return new GunLimits(maxFrameBytes, maxDepth, maxMessagesPerFrame, messagesPerSecond,
        maxInFlightPuts, maxOutboundFrames, maxStrikes, maxConnections, maxSubscriptions,
        dedupWindow, otherMemory);
  }

  private static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("Expected " + name + " >= 1 but received " + value);
    }
  }
}
