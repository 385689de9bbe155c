package io.soulgraph.libp2p;

import java.util.Objects;

/**
 * A protocol id bound to its handler: what a {@link Host} registers to answer streams, and what
 * it opens streams for.
 *
 * @param <C> the controller type of the handler
 */
public record ProtocolBinding<C>(String protocolId, ProtocolHandler<C> handler) {
  public ProtocolBinding {
    Objects.requireNonNull(protocolId, "protocolId");
    Objects.requireNonNull(handler, "handler");
    if (!protocolId.startsWith("/") || protocolId.length() > 1024) {
      throw new IllegalArgumentException("expected a protocol id like /name/1.0.0 but received "
          + protocolId);
    }
  }
}
