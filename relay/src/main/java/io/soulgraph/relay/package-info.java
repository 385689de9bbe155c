/**
 * The Soulgraph relay: GunDB's WebSocket protocol on Javalin over the soul graph. Entry points:
 * {@link io.soulgraph.relay.Relay#start} (embedding, tests) and {@code io.soulgraph.relay.cli.Main}
 * (the {@code soulgraph} command).
 */
package io.soulgraph.relay;
