/**
 * The sync core: one transport-neutral protocol engine. Transports implement {@link
 * io.soulgraph.relay.sync.Link} and hand each received frame to the core for a {@link
 * io.soulgraph.relay.sync.Session}; the core decides what is said, to whom, and when to
 * disconnect ({@link io.soulgraph.relay.sync.Disconnect}). Committed changes leave through {@link
 * io.soulgraph.relay.sync.ChangePublisher}s.
 */
package io.soulgraph.relay.sync;
