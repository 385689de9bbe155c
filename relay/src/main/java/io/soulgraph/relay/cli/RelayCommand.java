package io.soulgraph.relay.cli;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.config.DataDirs;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gremlin.GremlinConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.p2p.Libp2pConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The relay's command line. Every option can also come from an environment variable ({@code
 * --max-frame-bytes} → {@code SOULGRAPH_MAX_FRAME_BYTES}) or a properties file ({@code
 * max-frame-bytes=...}, given by {@code --config} or {@code SOULGRAPH_CONFIG}); the command line
 * wins over the environment, which wins over the file.
 */
@Command(
    name = "soulgraph",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs a Soulgraph relay: GunDB's WebSocket protocol at /gun, durable storage.",
    sortOptions = false)
public final class RelayCommand {

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file of options.")
  Path config;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8765",
      description = "Port; 0 = any free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Data directory (default: the OS application-data dir, e.g. ~/.config/soulgraph).")
  Path dataDir;

  @Option(
      names = "--storage",
      defaultValue = "berkeleyje",
      description = "inmemory, berkeleyje or cql (default: ${DEFAULT-VALUE}).")
  String storage;

  @Option(
      names = "--cql-hosts",
      split = ",",
      defaultValue = "127.0.0.1",
      description = "CQL contact points (storage cql).")
  List<String> cqlHosts;

  @Option(
      names = "--cql-port",
      defaultValue = "9042",
      description = "CQL port (default: ${DEFAULT-VALUE}).")
  int cqlPort;

  @Option(
      names = "--cql-keyspace",
      defaultValue = "soulgraph",
      description = "CQL keyspace, created if missing (default: ${DEFAULT-VALUE}).")
  String cqlKeyspace;

  @Option(
      names = "--cql-datacenter",
      defaultValue = StoreConfig.Cql.DEFAULT_DATACENTER,
      description = "The local datacenter the driver talks to (default: ${DEFAULT-VALUE}).")
  String cqlDatacenter;

  @Option(
      names = "--cql-replication",
      defaultValue = "1",
      description = "Replication factor of a keyspace this relay creates; 3 on a real cluster "
          + "(default: ${DEFAULT-VALUE}).")
  int cqlReplication;

  @Option(
      names = "--cql-read-consistency",
      defaultValue = StoreConfig.Cql.DEFAULT_CONSISTENCY,
      description = "Consistency level of reads (default: ${DEFAULT-VALUE}).")
  String cqlReadConsistency;

  @Option(
      names = "--cql-write-consistency",
      defaultValue = StoreConfig.Cql.DEFAULT_CONSISTENCY,
      description = "Consistency level of writes; with reads at QUORUM too, every read sees "
          + "every acknowledged write (default: ${DEFAULT-VALUE}).")
  String cqlWriteConsistency;

  @Option(
      names = "--cql-timeout-ms",
      defaultValue = "12000",
      description = "How long one CQL request may take (default: ${DEFAULT-VALUE}).")
  long cqlTimeoutMillis;

  @Option(
      names = "--cql-commit-timeout-ms",
      defaultValue = "20000",
      description = "How long a put may wait for its commit; past it the writer gets an error "
          + "(Gun err) instead of waiting on a cluster that cannot answer "
          + "(default: ${DEFAULT-VALUE}).")
  long cqlCommitTimeoutMillis;

  @Option(
      names = "--cql-lock-wait-ms",
      defaultValue = "100",
      description = "How long a lock claim waits for other relays' earlier claims to become "
          + "readable: more than the relays' clock skew plus a claim write's latency; each "
          + "commit pays it once (default: ${DEFAULT-VALUE}).")
  long cqlLockWaitMillis;

  @Option(
      names = "--peer",
      paramLabel = "URL",
      split = ",",
      description = "A relay to federate with, ws://host:port/gun (repeatable).")
  List<URI> peers = new ArrayList<>();

  @Option(
      names = "--max-frame-bytes",
      defaultValue = "8388608",
      description = "Largest WebSocket frame accepted (default: ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(
      names = "--max-depth",
      defaultValue = "64",
      description = "Deepest JSON nesting accepted (default: ${DEFAULT-VALUE}).")
  int maxDepth;

  @Option(
      names = "--max-in-flight",
      defaultValue = "5000",
      description = "Puts per connection waiting for commit (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--rate",
      defaultValue = "5000",
      description = "Messages per second per connection (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--max-connections",
      defaultValue = "10000",
      description = "Open connections (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-strikes",
      defaultValue = "20",
      description = "Bad messages before a connection is closed (default: ${DEFAULT-VALUE}).")
  int maxStrikes;

  @Option(
      names = "--max-put-bytes",
      defaultValue = "1048576",
      description =
          "Largest put (JSON text of its graph); larger ones get an err, nothing applied"
              + " (default: ${DEFAULT-VALUE}).")
  int maxPutBytes;

  @Option(
      names = "--max-put-fields",
      defaultValue = "20000",
      description =
          "Most fields in one put, over all its nodes; more get an err, nothing applied"
              + " (default: ${DEFAULT-VALUE}).")
  int maxPutFields;

  @Option(
      names = "--max-node-fields",
      defaultValue = "100000",
      description =
          "Most fields one node may hold; a put that would grow a node past it gets an err"
              + " (default: ${DEFAULT-VALUE}).")
  int maxNodeFields;

  @Option(
      names = "--max-outbound-bytes",
      defaultValue = "16777216",
      description =
          "Bytes queued to one connection before it counts as not reading and is closed"
              + " (default: ${DEFAULT-VALUE}).")
  long maxOutboundBytes;

  @Option(
      names = "--deferred-bytes",
      defaultValue = "33554432",
      description =
          "Bytes of future-state fields held until their time, in all (default: ${DEFAULT-VALUE}).")
  long deferredBytes;

  @Option(
      names = "--deferred-bytes-per-connection",
      defaultValue = "4194304",
      description =
          "Bytes of future-state fields held for one connection (default: ${DEFAULT-VALUE}).")
  long deferredBytesPerConnection;

  @Option(
      names = "--hot-index-bytes",
      defaultValue = "134217728",
      description =
          "Estimated heap bytes of field states kept in memory in front of the graph"
              + " (default: ${DEFAULT-VALUE}).")
  long hotIndexBytes;

  @Option(
      names = "--gremlin-host",
      defaultValue = "127.0.0.1",
      description =
          "Interface for Gremlin Server; beyond loopback it needs --gremlin-credentials"
              + " (default: ${DEFAULT-VALUE}).")
  String gremlinHost;

  @Option(
      names = "--gremlin-port",
      defaultValue = "8182",
      description = "Gremlin Server port (default: ${DEFAULT-VALUE}).")
  int gremlinPort;

  @Option(
      names = "--gremlin-timeout-ms",
      defaultValue = "30000",
      description = "Longest a Gremlin request may run (default: ${DEFAULT-VALUE}).")
  long gremlinTimeoutMillis;

  @Option(names = "--no-gremlin", description = "Run no Gremlin Server.")
  boolean noGremlin;

  @Option(
      names = "--gremlin-allow-origin",
      paramLabel = "ORIGIN",
      split = ",",
      description =
          "A browser origin (http://host:port) whose pages may use Gremlin (repeatable);"
              + " pages of any other origin are refused.")
  List<String> gremlinAllowedOrigins = new ArrayList<>();

  @Option(
      names = "--gremlin-credentials",
      paramLabel = "FILE",
      description = "user:password lines; Gremlin clients must then authenticate (SASL PLAIN).")
  Path gremlinCredentials;

  @Option(
      names = "--gremlin-unsafe-groovy",
      description =
          "UNSAFE: run Groovy scripts and lambdas sent to Gremlin, i.e. any client's code in"
              + " this process. Off, scripts are parsed as Gremlin traversals only.")
  boolean gremlinUnsafeGroovy;

  @Option(
      names = "--libp2p-port",
      defaultValue = "4001",
      description = "TCP port of the libp2p host; 0 = any free port (default: ${DEFAULT-VALUE}).")
  int libp2pPort;

  @Option(names = "--no-libp2p", description = "Run no libp2p host.")
  boolean noLibp2p;

  @Option(
      names = "--network",
      defaultValue = Libp2pConfig.DEFAULT_NETWORK,
      description =
          "The libp2p federation mesh to join; relays of other networks exchange nothing with"
              + " this one (default: ${DEFAULT-VALUE}).")
  String network;

  @Option(
      names = "--bootstrap",
      paramLabel = "MULTIADDR",
      split = ",",
      description =
          "A libp2p peer to federate with, /ip4/HOST/tcp/PORT/p2p/PEER_ID (repeatable);"
              + " redialed with backoff.")
  List<String> bootstrap = new ArrayList<>();

  @Option(
      names = "--mdns",
      description = "Find libp2p peers on the local network by mDNS (multicast; off by default).")
  boolean mdns;

  // Read by Main before parsing, so that it also applies to failures picocli cannot parse.
  @Option(names = "--verbose", description = "Print the stack trace when the relay fails to start.")
  boolean verbose;

  /** The relay configuration these options describe. */
  RelayConfig toConfig() {
    Path dir = dataDir != null ? dataDir : DataDirs.defaultDir();
    StoreConfig store =
        switch (storage.toLowerCase(Locale.ROOT)) {
          case "inmemory" -> StoreConfig.inMemory();
          case "berkeleyje" -> StoreConfig.berkeleyJe(dir);
          case "cql" -> cql(dir);
          default ->
              throw new IllegalArgumentException(
                  "Expected --storage inmemory, berkeleyje or cql but received " + storage);
        };
    StoreConfig.Bounds storeDefaults = StoreConfig.Bounds.defaults();
    store = store.withHotIndexMaxBytes(hotIndexBytes).withBounds(new StoreConfig.Bounds(
        maxNodeFields, storeDefaults.maxBatchFields(), storeDefaults.maxQueuedBytes(),
        deferredBytes, deferredBytesPerConnection));
    GunLimits defaults = GunLimits.defaults();
    GunLimits.Memory memory = defaults.memory();
    GunLimits limits =
        new GunLimits(
            maxFrameBytes,
            maxDepth,
            defaults.maxMessagesPerFrame(),
            rate,
            maxInFlight,
            defaults.maxOutboundFrames(),
            maxStrikes,
            maxConnections,
            defaults.maxSubscriptions(),
            Duration.ofSeconds(9),
            new GunLimits.Memory(maxPutBytes, maxPutFields, memory.maxInFlightBytes(),
                maxOutboundBytes, memory.maxIdLength(), memory.maxSubscriptionBytes(),
                memory.messageLogBytes()));
    GremlinConfig gremlin =
        new GremlinConfig(
            !noGremlin,
            gremlinHost,
            gremlinPort,
            Duration.ofMillis(gremlinTimeoutMillis),
            gremlinAllowedOrigins,
            gremlinCredentials,
            gremlinUnsafeGroovy);
    Libp2pConfig libp2p = new Libp2pConfig(!noLibp2p, libp2pPort, network, bootstrap, mdns);
    return new RelayConfig(host, port, store, peers, limits, gremlin, libp2p);
  }

  private StoreConfig cql(Path dir) {
    return StoreConfig.cql(dir, new StoreConfig.Cql(cqlHosts, cqlPort, cqlKeyspace,
        cqlDatacenter, cqlReplication, cqlReadConsistency, cqlWriteConsistency,
        Duration.ofMillis(cqlTimeoutMillis), Duration.ofMillis(cqlCommitTimeoutMillis),
        Duration.ofMillis(cqlLockWaitMillis)));
  }
}
