package io.soulgraph.relay.gremlin;

import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.server.Settings;

/**
 * Gremlin Server's settings plus what its reflectively built parts ({@link ReadOnlyGraphManager},
 * {@link GuardedChannelizer}) need from the relay: they receive only the Settings object.
 */
final class EndpointSettings extends Settings {

  final GremlinConfig config;
  final GraphTraversalSource userView;
  final GraphTraversalSource internals;

  EndpointSettings(
      GremlinConfig config, GraphTraversalSource userView, GraphTraversalSource internals) {
    this.config = config;
    this.userView = userView;
    this.internals = internals;
  }
}
