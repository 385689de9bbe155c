package io.soulgraph.libp2p.pubsub;

import java.time.Duration;

/**
 * Gossipsub parameters (names from the v1.1 spec) and the limits we enforce at the edge.
 *
 * @param d desired mesh degree (D)
 * @param dLow fewer mesh peers than this and the heartbeat grafts more (D_lo)
 * @param dHigh more than this and the heartbeat prunes back to D (D_hi)
 * @param dLazy peers outside the mesh we send IHAVE gossip to per heartbeat (D_lazy)
 * @param heartbeat the interval of mesh maintenance and gossip
 * @param pruneBackoff how long a pruned peer may not graft again
 * @param seenTtl how long a message id counts as seen
 * @param historyLength heartbeats a message stays in the cache for IWANT
 * @param historyGossip heartbeats of message ids advertised in IHAVE
 * @param maxRpcSize bytes in one RPC, either way; a peer sending more is disconnected
 * @param maxOutboundQueue RPCs waiting to be written to one peer; beyond it, messages to that
 *     peer are dropped
 * @param maxTopicsPerPeer topics one peer may subscribe to; a peer asking more is disconnected
 * @param maxMessagesPerSecond published messages one peer may send per second (one second of
 *     burst); a peer sending more is disconnected
 * @param maxIHaveIdsPerHeartbeat message ids we ask one peer for per heartbeat
 */
public record GossipConfig(int d, int dLow, int dHigh, int dLazy, Duration heartbeat,
    Duration pruneBackoff, Duration seenTtl, int historyLength, int historyGossip, int maxRpcSize,
    int maxOutboundQueue, int maxTopicsPerPeer, int maxMessagesPerSecond,
    int maxIHaveIdsPerHeartbeat) {

  /** The spec's defaults (D=6, D_lo=4, D_hi=12, D_lazy=6, 1 s heartbeat) and our limits. */
  public static GossipConfig defaults() {
    return new GossipConfig(6, 4, 12, 6, Duration.ofSeconds(1), Duration.ofMinutes(1),
        Duration.ofMinutes(2), 5, 3, 1024 * 1024, 4096, 1000, 20_000, 5000);
  }

  public GossipConfig {
    if (!(0 < dLow && dLow <= d && d <= dHigh)) {
      throw new IllegalArgumentException("expected 0 < D_lo <= D <= D_hi but received D_lo="
          + dLow + " D=" + d + " D_hi=" + dHigh);
    }
    if (historyGossip > historyLength || historyGossip < 1) {
      throw new IllegalArgumentException("expected 1 <= historyGossip <= historyLength");
    }
    if (maxRpcSize < 1024 || maxOutboundQueue < 1 || maxTopicsPerPeer < 1
        || maxMessagesPerSecond < 1 || maxIHaveIdsPerHeartbeat < 1) {
      throw new IllegalArgumentException("limits must be positive (maxRpcSize >= 1024)");
    }
  }

  public GossipConfig withMaxRpcSize(int bytes) {
    return new GossipConfig(d, dLow, dHigh, dLazy, heartbeat, pruneBackoff, seenTtl,
        historyLength, historyGossip, bytes, maxOutboundQueue, maxTopicsPerPeer,
        maxMessagesPerSecond, maxIHaveIdsPerHeartbeat);
  }

  public GossipConfig withMaxMessagesPerSecond(int n) {
    return new GossipConfig(d, dLow, dHigh, dLazy, heartbeat, pruneBackoff, seenTtl,
        historyLength, historyGossip, maxRpcSize, maxOutboundQueue, maxTopicsPerPeer, n,
        maxIHaveIdsPerHeartbeat);
  }

  public GossipConfig withMaxTopicsPerPeer(int n) {
    return new GossipConfig(d, dLow, dHigh, dLazy, heartbeat, pruneBackoff, seenTtl,
        historyLength, historyGossip, maxRpcSize, maxOutboundQueue, n, maxMessagesPerSecond,
        maxIHaveIdsPerHeartbeat);
  }

  public GossipConfig withDegree(int dLow, int d, int dHigh) {
    return new GossipConfig(d, dLow, dHigh, dLazy, heartbeat, pruneBackoff, seenTtl,
        historyLength, historyGossip, maxRpcSize, maxOutboundQueue, maxTopicsPerPeer,
        maxMessagesPerSecond, maxIHaveIdsPerHeartbeat);
  }

  public GossipConfig withPruneBackoff(Duration backoff) {
    return new GossipConfig(d, dLow, dHigh, dLazy, heartbeat, backoff, seenTtl, historyLength,
        historyGossip, maxRpcSize, maxOutboundQueue, maxTopicsPerPeer, maxMessagesPerSecond,
        maxIHaveIdsPerHeartbeat);
  }

  public GossipConfig withMaxOutboundQueue(int rpcs) {
    return new GossipConfig(d, dLow, dHigh, dLazy, heartbeat, pruneBackoff, seenTtl,
        historyLength, historyGossip, maxRpcSize, rpcs, maxTopicsPerPeer, maxMessagesPerSecond,
        maxIHaveIdsPerHeartbeat);
  }
}
