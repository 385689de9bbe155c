/** Relay-to-relay federation over WebSocket: {@link io.soulgraph.relay.federation.PeerDialer}. */
package io.soulgraph.relay.federation;
