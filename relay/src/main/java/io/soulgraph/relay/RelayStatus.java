package io.soulgraph.relay;

import io.soulgraph.ham.JsJson;

/** The JSON bodies of {@code /health} and {@code /info}. */
final class RelayStatus {

  private final Relay relay;

  RelayStatus(Relay relay) {
    this.relay = relay;
  }

  String health() {
    return "{\"status\":" + JsJson.quote(relay.port() > 0 ? "ok" : "starting")
        + ",\"connections\":" + relay.metrics().openConnections()
        + ",\"peers\":" + relay.connectedPeers() + "}";
  }

  String info() {
    var config = relay.config();
    String dataDir = config.dataDir() == null ? "null" : JsJson.quote(config.dataDir().toString());
    StringBuilder peers = new StringBuilder("[");
    for (var peer : config.peers()) {
      peers.append(peers.length() > 1 ? "," : "").append(JsJson.quote(peer.toString()));
    }
    String http = "http://" + config.host() + ":" + relay.port() + "/";
    return "{\"name\":\"soulgraph-relay\",\"version\":" + JsJson.quote(version())
        + ",\"storage\":" + JsJson.quote(config.storage().backend().name().toLowerCase(java.util.Locale.ROOT))
        + ",\"dataDir\":" + dataDir
        + ",\"listen\":[" + JsJson.quote(relay.gunUrl().toString()) + "," + JsJson.quote(http) + "]"
        + ",\"peers\":" + peers.append(']') + "}";
  }

  static String version() {
    String version = Relay.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
