package io.soulgraph.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.graph.BackendStatus;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.p2p.Federation;
import io.soulgraph.relay.p2p.Libp2pConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON bodies of {@code /health} and {@code /info}. Health is a list of named {@link
 * HealthCheck}s: {@code {"status":"ok"|"failing"|"starting","checks":{"storage":{"status":"ok"}},
 * "connections":N,"peers":N}}, a failing check carrying its {@code reason}. A check that starts
 * failing is logged once at ERROR by whoever detects it (the store logs its own failures).
 */
final class RelayStatus {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Relay relay;
  private final List<HealthCheck> checks;

  RelayStatus(Relay relay, List<HealthCheck> checks) {
    this.relay = relay;
    this.checks = List.copyOf(checks);
  }

  /** Whether every check passes now. */
  boolean healthy() {
    return checks.stream().allMatch(check -> check.problem().get().isEmpty());
  }

  String health() {
    ObjectNode health = JSON.createObjectNode();
    ObjectNode results = JSON.createObjectNode();
    boolean failing = false;
    for (HealthCheck check : checks) {
      Optional<String> problem = check.problem().get();
      ObjectNode result = results.putObject(check.name());
      result.put("status", problem.isPresent() ? "failing" : "ok");
      problem.ifPresent(reason -> result.put("reason", reason));
      failing |= problem.isPresent();
    }
    health.put("status", failing ? "failing" : relay.port() > 0 ? "ok" : "starting");
    health.set("checks", results);
    health.put("connections", relay.metrics().openConnections());
    health.put("peers", relay.connectedPeers());
    health.set("backend", backend(relay.storeStatus()));
    peerStates(health.putArray("peerStates"));
    return health.toString();
  }

  String info() {
    var config = relay.config();
    ObjectNode info = JSON.createObjectNode();
    info.put("name", "soulgraph-relay");
    info.put("version", version());
    info.put("storage", config.storage().backend().name().toLowerCase(Locale.ROOT));
    info.put("dataDir", config.dataDir() == null ? null : config.dataDir().toString());
    if (config.storage().cql() != null) {
      info.set("cql", cql(config.storage().cql(), relay.storeStatus()));
    }
    ArrayNode listen = info.putArray("listen");
    listen.add(relay.gunUrl().toString());
    listen.add("http://" + config.host() + ":" + relay.port() + "/");
    info.put("gremlin", relay.gremlinUrl() == null ? null : relay.gremlinUrl().toString());
    if (relay.libp2p() == null) {
      info.putNull("libp2p");
    } else {
      ObjectNode libp2p = info.putObject("libp2p");
      libp2p.put("network", relay.libp2p().network());
      libp2p.put("topic", Libp2pConfig.topic(relay.libp2p().network()));
      libp2p.put("peerId", relay.libp2p().peerId());
      ArrayNode addresses = libp2p.putArray("addresses");
      relay.libp2p().addresses().forEach(addresses::add);
      ArrayNode connected = libp2p.putArray("connectedPeers");
      relay.libp2p().connectedPeers().forEach(connected::add);
      Federation federation = relay.libp2p().federation();
      libp2p.put("syncStreams", federation == null ? 0 : federation.syncStreams());
    }
    peerStates(info.putArray("peers"));
    return info.toString();
  }

  /** Which backend, its latest commit failure, and on a cluster how many nodes are up. */
  private static ObjectNode backend(BackendStatus status) {
    ObjectNode storage = JSON.createObjectNode();
    storage.put("name", status.backend());
    if (status.lastFailure() != null) {
      storage.put("lastFailure", status.lastFailure());
    }
    if (!status.cluster().isEmpty()) {
      storage.put("nodesUp", status.nodesUp());
      storage.put("nodes", status.cluster().size());
    }
    return storage;
  }

  private static ObjectNode cql(StoreConfig.Cql cql, BackendStatus status) {
    ObjectNode info = JSON.createObjectNode();
    info.put("keyspace", cql.keyspace());
    info.put("localDatacenter", cql.localDatacenter());
    info.put("replicationFactor", cql.replicationFactor());
    info.put("readConsistency", cql.readConsistency());
    info.put("writeConsistency", cql.writeConsistency());
    ArrayNode nodes = info.putArray("nodes");
    for (BackendStatus.ClusterNode node : status.cluster()) {
      ObjectNode n = nodes.addObject();
      n.put("address", node.address());
      n.put("datacenter", node.datacenter());
      n.put("state", node.state());
    }
    return info;
  }

  /** Each --peer: {url, state: connected | connecting | unreachable, failures, lastError}. */
  private void peerStates(ArrayNode into) {
    for (var peer : relay.peerStatuses()) {
      ObjectNode state = into.addObject();
      state.put("url", peer.url());
      state.put("state", peer.state());
      state.put("failures", peer.failures());
      state.put("lastError", peer.lastError());
    }
  }

  static String version() {
    String version = Relay.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
