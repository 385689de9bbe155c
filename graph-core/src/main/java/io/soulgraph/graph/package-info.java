/**
 * The soul graph on TinkerPop/JanusGraph. Entry point: {@link io.soulgraph.graph.SoulStores#open}.
 */
package io.soulgraph.graph;
