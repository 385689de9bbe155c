package io.soulgraph.libp2p.testing;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.discovery.Mdns;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Java host with mDNS on loopback, run by {@code MdnsIT} inside a private network namespace
 * next to a js node. Prints JSON lines: java-listening, java-discovered, java-connected; stays up
 * for {@code args[0]} ms after connecting so the js node can discover it too.
 */
public final class MdnsProbe {
  private MdnsProbe() {}

  public static void main(String[] args) throws Exception {
    long linger = Long.parseLong(args[0]);
    Set<PeerId> found = ConcurrentHashMap.newKeySet();
    Mdns mdns = new Mdns(NetworkInterface.getByName("lo"), Duration.ofSeconds(1), p -> {
      found.add(p);
      print("{\"event\":\"java-discovered\",\"peerId\":\"" + p + "\"}");
    });
    try (Host host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").service(mdns).build()) {
      print("{\"event\":\"java-listening\",\"peerId\":\"" + host.peerId() + "\"}");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Connection c = null;
      while (c == null && System.nanoTime() < deadline) {
        c = host.connections().stream().filter(x -> found.contains(x.remotePeer())).findFirst()
            .orElse(null);
        Thread.sleep(100);
      }
      if (c != null) {
        print("{\"event\":\"java-connected\",\"remotePeer\":\"" + c.remotePeer()
            + "\",\"initiator\":" + c.isInitiator() + "}");
      }
      Thread.sleep(linger);
    }
    print("{\"event\":\"java-done\"}");
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
