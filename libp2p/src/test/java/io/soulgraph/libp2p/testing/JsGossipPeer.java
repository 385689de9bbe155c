package io.soulgraph.libp2p.testing;

import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A js-libp2p node with {@code @libp2p/gossipsub} ({@code src/test/js/gossip.mjs}) in a child
 * process, driven line by line. Every wait has a timeout; {@link #close()} kills the process.
 */
public final class JsGossipPeer implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(20);
  private final JsPeer js;
  private final PeerId peerId;
  private final Multiaddr address;

  private JsGossipPeer(JsPeer js) throws InterruptedException {
    this.js = js;
    Map<String, Object> l = js.await("listening", WAIT);
    this.peerId = PeerId.fromBase58((String) l.get("peerId"));
    this.address = Multiaddr.fromString((String) ((List<?>) l.get("addrs")).get(0));
  }

  /** Starts a node; {@code args} as gossip.mjs takes them (e.g. --protocols /meshsub/1.1.0). */
  public static JsGossipPeer start(String... args) throws IOException, InterruptedException {
    List<String> a = new ArrayList<>(List.of(args));
    JsPeer js = JsPeer.start("gossip.mjs", a.toArray(String[]::new));
    try {
      return new JsGossipPeer(js);
    } catch (RuntimeException | Error | InterruptedException e) {
      js.close();
      throw e;
    }
  }

  public PeerId peerId() {
    return peerId;
  }

  public Multiaddr address() {
    return address;
  }

  public void dial(Multiaddr ma) throws IOException, InterruptedException {
    js.send("dial " + ma);
    js.await("dialed", WAIT);
  }

  public void subscribe(String topic) throws IOException, InterruptedException {
    js.send("sub " + topic);
    js.await("subscribed", WAIT);
  }

  /** Publishes text; returns the peer ids js says it sent to. */
  @SuppressWarnings("unchecked")
  public List<String> publish(String topic, String text) throws IOException, InterruptedException {
    js.send("pub " + topic + " " + text);
    return (List<String>) js.await("published", WAIT).get("recipients");
  }

  /** The next message js delivers to its subscriber. */
  public Map<String, Object> nextMessage(Duration timeout) throws InterruptedException {
    return js.await("message", timeout);
  }

  /** Waits until js has {@code peer} in its mesh for {@code topic}. */
  @SuppressWarnings("unchecked")
  public void awaitMesh(String topic, PeerId peer) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Map<String, Object> last = null;
    while (System.nanoTime() < deadline) {
      js.send("mesh " + topic);
      last = js.await("mesh", WAIT);
      if (((List<String>) last.get("mesh")).contains(peer.toBase58())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("js never meshed " + peer + " on " + topic + ": " + last
        + "\nlog:\n" + js.log());
  }

  public void send(String line) throws IOException {
    js.send(line);
  }

  public Map<String, Object> await(String event, Duration timeout) throws InterruptedException {
    return js.await(event, timeout);
  }

  public String log() {
    return js.log();
  }

  @Override
  public void close() {
    js.close();
  }
}
