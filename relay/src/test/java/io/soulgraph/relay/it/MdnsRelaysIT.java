package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --mdns}: two relay jars with no {@code --bootstrap} and no {@code --peer}, in one private
 * network namespace with loopback alone ({@code unshare -n}, as root, so no multicast leaves the
 * machine), find each other by mDNS, and a real {@code gun} client's write on one is read by
 * another on the other. Inside the namespace every port is free, so the ports are fixed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
final class MdnsRelaysIT {

  @TempDir Path logs;

  private static boolean canUnshare() {
    try {
      Process p = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void twoRelaysWithMdns_findEachOther_andAWriteOnOneIsReadOnTheOther() throws Exception {
    NodeScripts.dir();
    Assumptions.assumeTrue(canUnshare(), "skipped: `unshare -n` is not available to this user "
        + "(needs root); mDNS is only ever tested inside a private network namespace");
    String jar = Path.of(System.getProperty("relay.jar", "target/soulgraph-relay.jar"))
        .toAbsolutePath().toString();
    String relay = "java -Xmx320m -jar \"$JAR\" --storage inmemory --no-gremlin --libp2p-port 0"
        + " --network lan --mdns";
    String script = String.join("\n",
        "set -e",
        "ip link set lo up",
        "ip link set lo multicast on",
        "ip route add 224.0.0.0/4 dev lo",
        relay + " --port 18765 > \"$LOGS/a.log\" 2>&1 & A=$!",
        relay + " --port 18766 > \"$LOGS/b.log\" 2>&1 & B=$!",
        "stop() { kill $A $B 2>/dev/null; wait $A $B 2>/dev/null || true; }",
        "trap stop EXIT",
        "trap 'stop; exit 1' INT TERM",
        "connected() { curl -s http://127.0.0.1:$1/info | grep -q '\"connectedPeers\":\\[\"'; }",
        "for i in $(seq 1 120); do connected 18765 && connected 18766 && break; sleep 0.5; done",
        "connected 18765 && connected 18766 && echo '{\"event\":\"discovered\"}'",
        "node gun-client.js put http://127.0.0.1:18765/gun lan/mdns '{\"k\":\"found by mdns\"}'",
        "for i in $(seq 1 30); do",
        "  out=$(node gun-client.js once http://127.0.0.1:18766/gun lan/mdns k)",
        "  case \"$out\" in *'found by mdns'*) break;; esac; sleep 0.5",
        "done",
        "echo \"$out\"");
    ProcessBuilder builder = new ProcessBuilder(List.of("unshare", "-n", "sh", "-c", script))
        .directory(NodeScripts.dir().toFile()).redirectErrorStream(true);
    builder.environment().put("JAR", jar);
    builder.environment().put("LOGS", logs.toString());
    builder.environment().put("GUN_CLIENT_TIMEOUT_MS", "10000");
    try (NodeScripts.Running ns = new NodeScripts.Running(builder.start())) {
      JsonNode last = ns.result(Duration.ofSeconds(200));
      List<JsonNode> lines = ns.lines();
      assertTrue(lines.stream().anyMatch(l -> "discovered".equals(l.path("event").asText())),
          "the relays did not find each other by mDNS: " + lines + "\nA: "
              + java.nio.file.Files.readString(logs.resolve("a.log")));
      assertEquals("found by mdns", last.path("value").asText(), lines.toString());
    }
  }
}
