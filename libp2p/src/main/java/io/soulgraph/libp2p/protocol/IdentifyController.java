package io.soulgraph.libp2p.protocol;

import java.util.concurrent.CompletableFuture;

/** The initiator's handle on an {@code /ipfs/id/1.0.0} stream. */
public interface IdentifyController {
  /** Completes with what the remote said about itself. */
  CompletableFuture<IdentifyInfo> info();
}
