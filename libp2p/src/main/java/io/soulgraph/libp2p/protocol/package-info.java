/**
 * The standard libp2p application protocols every host binds: {@link
 * io.soulgraph.libp2p.protocol.Ping} ({@code /ipfs/ping/1.0.0}) and {@link
 * io.soulgraph.libp2p.protocol.Identify} ({@code /ipfs/id/1.0.0}), each a
 * {@link io.soulgraph.libp2p.ProtocolHandler} with a controller for the initiator.
 */
package io.soulgraph.libp2p.protocol;
