import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.relay.peer.SoulgraphPeer;
import java.util.Map;

/**
 * A native Soulgraph peer inside a Java program: joins a network through a relay, writes one
 * node, and prints every change to that node (its own write, then what others write), one JSON
 * line each, until stopped.
 *
 * <pre>
 * java -cp relay/target/soulgraph-relay.jar examples/java-peer/JavaPeerExample.java \
 *     /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... demo greetings/java
 * </pre>
 */
public final class JavaPeerExample {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    String relay = args[0];
    String network = args.length > 1 ? args[1] : "default";
    String soul = args.length > 2 ? args[2] : "greetings/java";

    try (SoulgraphPeer peer = SoulgraphPeer.builder().network(network).bootstrap(relay).start()) {
      print(Map.of("event", "started", "peerId", peer.peerId(), "network", network));
      while (peer.networkPeers().isEmpty()) {
        Thread.sleep(100); // dialing the relay, then learning that it listens on the network
      }
      peer.subscribe(soul, fields -> print(Map.of("event", "change", "soul", soul, "fields", fields)));
      peer.put(soul, Map.of("text", "hello from Java", "lucky", 7)).join();
      print(Map.of("event", "wrote", "soul", soul, "node", peer.get(soul).orElseThrow()));
      Thread.currentThread().join(); // keep printing changes until the process is stopped
    }
  }

  private static void print(Map<String, Object> event) {
    try {
      System.out.println(JSON.writeValueAsString(event));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
