package io.soulgraph.libp2p.protocol;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The initiator's handle on a {@code /ipfs/ping/1.0.0} stream. */
public interface PingController {
  /** Sends 32 random bytes and completes with the round-trip time once they come back. */
  CompletableFuture<Duration> ping();

  /** Half-closes the stream; the responder then closes its side. */
  void close();
}
