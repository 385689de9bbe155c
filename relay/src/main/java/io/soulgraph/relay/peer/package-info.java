/**
 * A Soulgraph peer inside a Java application: a store, a libp2p host in a network, and
 * put/get/subscribe, with no WebSocket server and no Gremlin ({@link
 * io.soulgraph.relay.peer.SoulgraphPeer}).
 */
package io.soulgraph.relay.peer;
