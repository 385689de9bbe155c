/** How a relay is configured: {@link io.soulgraph.relay.config.RelayConfig}. */
package io.soulgraph.relay.config;
