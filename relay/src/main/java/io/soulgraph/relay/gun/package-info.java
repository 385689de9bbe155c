/**
 * The Gun wire format: {@link io.soulgraph.relay.gun.GunCodec} reads text frames into {@link
 * io.soulgraph.relay.gun.GunMessage}s and writes the relay's messages; the limits and the
 * taxonomy of what a peer can do wrong ({@link io.soulgraph.relay.gun.GunException}) live here too.
 * What to do with a message is the sync core's ({@code io.soulgraph.relay.sync}); no transport.
 */
package io.soulgraph.relay.gun;
