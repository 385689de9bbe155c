package io.soulgraph.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.graph.BackendStatus;
import io.soulgraph.graph.StoreConfig;
import java.util.Locale;

/** The JSON bodies of {@code /health} and {@code /info}. */
final class RelayStatus {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Relay relay;

  RelayStatus(Relay relay) {
    this.relay = relay;
  }

  String health() {
    ObjectNode health = JSON.createObjectNode();
    BackendStatus storage = relay.storeStatus();
    health.put("status", relay.port() <= 0 ? "starting" : storage.healthy() ? "ok" : "down");
    health.put("connections", relay.metrics().openConnections());
    health.put("peers", relay.connectedPeers());
    health.set("storage", storage(storage));
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
      libp2p.put("peerId", relay.libp2p().peerId());
      ArrayNode addresses = libp2p.putArray("addresses");
      relay.libp2p().addresses().forEach(addresses::add);
    }
    peerStates(info.putArray("peers"));
    return info.toString();
  }

  /** The storage check: ok while commits succeed and (on a cluster) a node is up. */
  private static ObjectNode storage(BackendStatus status) {
    ObjectNode storage = JSON.createObjectNode();
    storage.put("status", status.healthy() ? "ok" : "down");
    storage.put("backend", status.backend());
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
