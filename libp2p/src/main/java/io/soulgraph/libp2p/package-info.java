/**
 * Soulgraph's libp2p stack: TCP, multistream-select 1.0, Noise XX, Yamux, identify and ping,
 * interoperable with js-libp2p. The entry point is {@link io.soulgraph.libp2p.HostBuilder};
 * protocols implement {@link io.soulgraph.libp2p.ProtocolHandler} and never touch sockets.
 * Everything under {@code internal} is implementation.
 */
package io.soulgraph.libp2p;
