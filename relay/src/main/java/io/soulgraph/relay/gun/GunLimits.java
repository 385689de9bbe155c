package io.soulgraph.relay.gun;

import java.time.Duration;

/**
 * The bounds that keep one peer from hurting the others. All are per connection except
 * {@code maxConnections} and {@code dedupWindow}.
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
    Duration dedupWindow) {

  public GunLimits {
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
        8 * 1024 * 1024, 64, 1000, 5000, 1000, 20_000, 20, 10_000, 100_000, Duration.ofSeconds(9));
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("Expected " + name + " >= 1 but received " + value);
    }
  }
}
