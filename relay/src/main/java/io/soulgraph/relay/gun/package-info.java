/**
 * The Gun wire protocol without a transport: {@link io.soulgraph.relay.gun.GunProtocol} takes text
 * frames from {@link io.soulgraph.relay.gun.Peer}s and answers through them. Wire keys live only in
 * {@link io.soulgraph.relay.gun.GunCodec}; failures become close codes only in {@link
 * io.soulgraph.relay.gun.CloseCodes}.
 */
package io.soulgraph.relay.gun;
