package io.soulgraph.graph;

import java.util.List;
import java.util.Objects;

/**
 * What a store can tell about its storage, for a relay's {@code /health} and {@code /info}.
 *
 * @param backend {@code inmemory}, {@code berkeleyje} or {@code cql}
 * @param lastFailure why the latest group commit failed, or null if it succeeded (puts are
 *     acknowledged again as soon as one commits)
 * @param cluster the Cassandra/ScyllaDB nodes the driver knows, for cql; empty otherwise
 */
public record BackendStatus(String backend, String lastFailure, List<ClusterNode> cluster) {

  public BackendStatus {
    Objects.requireNonNull(backend, "backend");
    cluster = List.copyOf(cluster);
  }

  /**
   * One node of the cluster as the driver sees it.
   *
   * @param address host:port
   * @param datacenter its datacenter (null if not known yet)
   * @param state UP, DOWN, UNKNOWN or FORCED_DOWN
   */
  public record ClusterNode(String address, String datacenter, String state) {}

  /** Whether commits succeed and, on a cluster, at least one node is up. */
  public boolean healthy() {
    return lastFailure == null
        && (cluster.isEmpty() || cluster.stream().anyMatch(n -> "UP".equals(n.state())));
  }

  /** How many cluster nodes are up. */
  public long nodesUp() {
    return cluster.stream().filter(n -> "UP".equals(n.state())).count();
  }
}
