package io.soulgraph.relay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.config.RelayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

final class RelayCommandTest {

  @TempDir Path tmp;

  private RelayConfig parse(Map<String, String> env, Path configFile, String... args) {
    RelayCommand command = new RelayCommand();
    CommandLine cli = new CommandLine(command);
    cli.setDefaultValueProvider(new EnvironmentDefaults(env, EnvironmentDefaults.load(configFile)));
    cli.parseArgs(args);
    return command.toConfig();
  }

  @Test
  void parse_noOptions_givesDocumentedDefaults() {
    RelayConfig config = parse(Map.of(), null, "--data-dir", tmp.toString());
    assertEquals("127.0.0.1", config.host());
    assertEquals(8765, config.port());
    assertEquals(StoreConfig.Backend.BERKELEYJE, config.storage().backend());
    assertEquals(tmp, config.dataDir());
    assertEquals(List.of(), config.peers());
  }

  @Test
  void parse_cqlLockWait_reachesTheStore_defaultIsJanusGraphs100Ms() {
    RelayConfig defaults = parse(Map.of(), null, "--data-dir", tmp.toString(),
        "--storage", "cql");
    assertEquals(java.time.Duration.ofMillis(100), defaults.storage().cql().lockWait());
    assertEquals(StoreConfig.SHARED_MAX_BATCH_PUTS, defaults.storage().maxBatchPuts());
    RelayConfig config = parse(Map.of(), null, "--data-dir", tmp.toString(),
        "--storage", "cql", "--cql-lock-wait-ms", "25");
    assertEquals(java.time.Duration.ofMillis(25), config.storage().cql().lockWait());
  }

  @Test
  void parse_hotIndexAndServices_reachTheConfig() {
    RelayConfig config = parse(Map.of(), null, "--data-dir", tmp.toString(),
        "--hot-index-bytes", "5000000", "--no-gremlin", "--libp2p-port", "0");
    assertEquals(5_000_000, config.storage().hotIndexMaxBytes());
    assertEquals(false, config.gremlin().enabled());
    assertEquals(true, config.libp2p().enabled());
    assertEquals(0, config.libp2p().port());
  }

  @Test
  void parse_noOptions_runsGremlinAndLibp2pOnTheirUsualPorts() {
    RelayConfig config = parse(Map.of(), null, "--data-dir", tmp.toString());
    assertEquals(8182, config.gremlin().port());
    assertEquals("127.0.0.1", config.gremlin().host());
    assertEquals(4001, config.libp2p().port());
    assertEquals(128L << 20, config.storage().hotIndexMaxBytes());
    assertEquals(1 << 20, config.limits().memory().maxPutBytes());
    assertEquals(20_000, config.limits().memory().maxPutFields());
    assertEquals(100_000, config.storage().bounds().maxNodeFields());
  }

  @Test
  void parse_federationOptions_reachTheLibp2pConfig() {
    String a = "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWRBs768yun9wayMtdW8VfYD9C3zHU8jCRbqAywRqQM1Bc";
    String b = "/ip4/127.0.0.1/tcp/4002/p2p/12D3KooWQq6RoSZpZDbqeQdKMi75vLwfcoa8yevBH6jSirdfXkXc";
    RelayConfig config = parse(Map.of(), null, "--data-dir", tmp.toString(),
        "--network", "demo", "--bootstrap", a, "--bootstrap", b, "--mdns");
    assertEquals("demo", config.libp2p().network());
    assertEquals("/soulgraph/demo/put/1.0.0", config.libp2p().topic());
    assertEquals(List.of(a, b), config.libp2p().bootstrap());
    assertEquals(true, config.libp2p().mdns());

    RelayConfig defaults = parse(Map.of(), null, "--data-dir", tmp.toString());
    assertEquals("default", defaults.libp2p().network());
    assertEquals(List.of(), defaults.libp2p().bootstrap());
    assertEquals(false, defaults.libp2p().mdns());

    RelayConfig fromEnv = parse(Map.of("SOULGRAPH_NETWORK", "env-net",
        "SOULGRAPH_BOOTSTRAP", a + "," + b), null, "--data-dir", tmp.toString());
    assertEquals("env-net", fromEnv.libp2p().network());
    assertEquals(List.of(a, b), fromEnv.libp2p().bootstrap());
  }

  @Test
  void parse_badNetworkName_saysWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), null, "--data-dir", tmp.toString(), "--network", "a/b"));
    assertTrue(e.getMessage().contains("1-64 letters, digits"), e.getMessage());
  }

  @Test
  void parse_memoryBounds_reachTheStoreAndTheProtocol() {
    RelayConfig config = parse(Map.of("SOULGRAPH_MAX_PUT_FIELDS", "300"), null,
        "--data-dir", tmp.toString(), "--max-put-bytes", "65536", "--max-node-fields", "2000",
        "--max-outbound-bytes", "1000000", "--deferred-bytes", "900000",
        "--deferred-bytes-per-connection", "90000");
    assertEquals(65536, config.limits().memory().maxPutBytes());
    assertEquals(300, config.limits().memory().maxPutFields());
    assertEquals(1_000_000, config.limits().memory().maxOutboundBytes());
    assertEquals(2000, config.storage().bounds().maxNodeFields());
    assertEquals(900_000, config.storage().bounds().deferredBytes());
    assertEquals(90_000, config.storage().bounds().deferredBytesPerOrigin());
  }

  @Test
  void parse_repeatedPeers_keepsAll() {
    RelayConfig config =
        parse(
            Map.of(),
            null,
            "--storage",
            "inmemory",
            "--peer",
            "ws://127.0.0.1:1/gun",
            "--peer",
            "ws://127.0.0.1:2/gun");
    assertEquals(
        List.of(URI.create("ws://127.0.0.1:1/gun"), URI.create("ws://127.0.0.1:2/gun")),
        config.peers());
  }

  @Test
  void parse_environmentBeatsFile_commandLineBeatsEnvironment() throws IOException {
    Path file = tmp.resolve("relay.properties");
    Files.writeString(file, "port=1111\nmax-frame-bytes=2222\nstorage=inmemory\n");
    Map<String, String> env = Map.of("SOULGRAPH_PORT", "3333");
    RelayConfig fromEnv = parse(env, file);
    assertEquals(3333, fromEnv.port());
    assertEquals(2222, fromEnv.limits().maxFrameBytes());
    assertEquals(StoreConfig.Backend.INMEMORY, fromEnv.storage().backend());
    assertEquals(4444, parse(env, file, "--port", "4444").port());
  }

  @Test
  void parse_unknownStorage_isRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> parse(Map.of(), null, "--storage", "floppy"));
  }

  @Test
  void run_help_printsUsageAndReturnsZero() throws InterruptedException {
    assertEquals(0, Main.run(new String[] {"--help"}, Map.of()));
  }

  @Test
  void run_badOption_returnsTwo() throws InterruptedException {
    assertEquals(2, Main.run(new String[] {"--port", "notanumber"}, Map.of()));
  }

  @Test
  void parse_noOptions_gremlinRunsNoCodeAdmitsNoPageAndAsksNoPassword() {
    RelayConfig config = parse(Map.of(), null, "--data-dir", tmp.toString());
    assertEquals(false, config.gremlin().unsafeGroovy());
    assertEquals(List.of(), config.gremlin().allowedOrigins());
    assertEquals(null, config.gremlin().credentialsFile());
  }

  @Test
  void parse_gremlinSecurityOptions_reachTheConfig() throws IOException {
    Path credentials = Files.writeString(tmp.resolve("gremlin-users"), "ops:secret\n");
    RelayConfig config = parse(Map.of(), null, "--storage", "inmemory",
        "--gremlin-allow-origin", "http://localhost:3000/",
        "--gremlin-allow-origin", "https://Tools.Example",
        "--gremlin-credentials", credentials.toString(), "--gremlin-unsafe-groovy");
    assertEquals(List.of("http://localhost:3000", "https://tools.example"),
        config.gremlin().allowedOrigins());
    assertEquals(credentials, config.gremlin().credentialsFile());
    assertEquals(true, config.gremlin().unsafeGroovy());
  }

  @Test
  void parse_gremlinBeyondLoopbackWithoutCredentials_isRefusedInOneLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), null, "--storage", "inmemory", "--gremlin-host", "0.0.0.0"));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().contains("--gremlin-credentials"), e.getMessage());
  }

  @Test
  void run_gremlinBeyondLoopbackWithoutCredentials_exitsWithTwoAndStartsNothing()
      throws InterruptedException {
    assertEquals(2, Main.run(
        new String[] {"--storage", "inmemory", "--gremlin-host", "0.0.0.0"}, Map.of()));
  }

  @Test
  void parse_gremlinBeyondLoopbackWithCredentials_isAccepted() throws IOException {
    Path credentials = Files.writeString(tmp.resolve("gremlin-users"), "ops:secret\n");
    RelayConfig config = parse(Map.of(), null, "--storage", "inmemory",
        "--gremlin-host", "0.0.0.0", "--gremlin-credentials", credentials.toString());
    assertEquals("0.0.0.0", config.gremlin().host());
  }

  @Test
  void parse_badOrigin_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), null,
        "--storage", "inmemory", "--gremlin-allow-origin", "evil.example"));
  }
}
