package io.soulgraph.libp2p.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.soulgraph.libp2p.testing.JsPeer;
import io.soulgraph.libp2p.testing.MdnsProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * mDNS against {@code @libp2p/mdns} 12.0.32: a Java host and a js-libp2p node in one private
 * network namespace with loopback alone ({@code unshare -n}, as root), so no multicast leaves
 * the machine. Each discovers the other and they connect.
 */
@Timeout(120)
final class MdnsIT {
  private static final Duration WAIT = Duration.ofSeconds(40);

  /** Whether this user may create a network namespace (root, or CAP_SYS_ADMIN). */
  private static boolean canUnshare() {
    try {
      Process p = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void javaAndJs_inAPrivateNamespace_discoverAndConnect() throws Exception {
    Assumptions.assumeTrue(canUnshare(), "skipped: `unshare -n` is not available to this user "
        + "(needs root); mDNS is only ever tested inside a private network namespace");
    String script = String.join("\n",
        "set -e",
        "ip link set lo up",
        "ip link set lo multicast on",
        "ip route add 224.0.0.0/4 dev lo",
        // sh gives a background job /dev/null as stdin, and EOF would stop the js node.
        "exec 3<&0",
        "node gossip.mjs --mdns <&3 & JS=$!",
        "\"$PROBE_JAVA\" -cp \"$PROBE_CP\" " + MdnsProbe.class.getName() + " 6000 || true",
        "kill $JS; wait $JS 2>/dev/null || true");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (JsPeer ns = JsPeer.startCommand(List.of("unshare", "-n", "sh", "-c", script),
        Map.of("PROBE_JAVA", java, "PROBE_CP", System.getProperty("java.class.path")))) {
      String jsId = (String) ns.await("listening", WAIT).get("peerId");
      String javaId = (String) ns.await("java-listening", WAIT).get("peerId");
      assertEquals(jsId, ns.await("java-discovered", WAIT).get("peerId"),
          "Java found the js node by mDNS");
      assertEquals(jsId, ns.await("java-connected", WAIT).get("remotePeer"));
      Map<String, Object> jsFound = ns.await("discovered", WAIT);
      assertEquals(javaId, jsFound.get("peerId"), "js found the Java host by mDNS: " + jsFound);
      ns.await("java-done", WAIT);
    }
  }
}
