/** The relay's Prometheus meters: {@link io.soulgraph.relay.metrics.RelayMetrics}. */
package io.soulgraph.relay.metrics;
