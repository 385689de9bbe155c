package io.soulgraph.relay.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.StreamListener;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.p2p.Frames;
import io.soulgraph.relay.sync.TransportContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The transport contract over libp2p: a native peer (our own libp2p host: TCP, Noise, Yamux) dials
 * the relay and speaks over one {@code /soulgraph/sync/1.0.0} stream of varint-framed text.
 */
final class Libp2pTransportIT extends TransportContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SYNC = "/soulgraph/sync/1.0.0";

  /** A native peer gets live changes by gossipsub, not on its sync stream. */
  @Override
  protected boolean pushesSubscribedChanges() {
    return false;
  }

  @Override
  protected Endpoint start() {
    Relay relay = Relay.start(Libp2pFederationIT.relay("default", null));
    List<Host> hosts = new ArrayList<>();
    return new Endpoint() {
      @Override
      public Client connect() throws Exception {
        Host host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
        hosts.add(host);
        StreamClient client = new StreamClient(host);
        Stream stream = host.newStream(
                Multiaddr.fromString(Libp2pFederationIT.address(relay)), SYNC)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        client.attach(stream);
        return client;
      }

      @Override
      public void close() {
        hosts.forEach(Host::close);
        relay.close();
      }
    };
  }

  /** One sync stream, its received messages kept in arrival order. */
  private static final class StreamClient implements Client, StreamListener {

    private final Host host;
    private final Frames.Decoder decoder = new Frames.Decoder(1 << 24);
    private final List<JsonNode> received = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private Stream stream;

    StreamClient(Host host) {
      this.host = host;
    }

    void attach(Stream opened) {
      this.stream = opened;
      opened.setListener(this);
      opened.closeFuture().whenComplete((done, failure) -> ended.countDown());
    }

    @Override
    public synchronized void onData(Stream from, byte[] data) {
      try {
        for (String frame : decoder.feed(data)) {
          JsonNode tree = JSON.readTree(frame);
          if (tree.isArray()) {
            tree.forEach(received::add);
          } else {
            received.add(tree);
          }
        }
      } catch (Exception e) {
        received.add(JSON.createObjectNode().put("unreadable", e.toString()));
      }
      notifyAll();
    }

    @Override
    public void onRemoteClose(Stream from) {
      ended.countDown();
    }

    @Override
    public void onReset(Stream from) {
      ended.countDown();
    }

    @Override
    public void send(String frame) throws Exception {
      stream.write(Frames.encode(frame)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public synchronized JsonNode await(Predicate<JsonNode> match, Duration timeout)
        throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        for (JsonNode message : received) {
          if (match.test(message)) {
            return message;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("No matching message within " + timeout + "; got " + received);
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }

    @Override
    public synchronized List<JsonNode> matching(Predicate<JsonNode> match) {
      return received.stream().filter(match).toList();
    }

    @Override
    public boolean awaitClosed(Duration timeout) throws Exception {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      stream.reset();
      host.close();
    }
  }
}
