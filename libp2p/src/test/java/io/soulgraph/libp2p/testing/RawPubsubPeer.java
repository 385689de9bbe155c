package io.soulgraph.libp2p.testing;

import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostBuilder;
import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.internal.pubsub.MessageSigning;
import io.soulgraph.libp2p.internal.pubsub.Rpc;
import io.soulgraph.libp2p.internal.util.Varint;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pubsub peer that writes whatever RPCs it is given on one {@code /meshsub/1.1.0} stream:
 * forged, unsigned or replayed messages, garbage. It binds no pubsub protocol itself, so the
 * host under test cannot open a stream back and never meshes it.
 */
public final class RawPubsubPeer implements AutoCloseable {
  private final Identity identity = Identity.generate();
  private final Host host = new HostBuilder().identity(identity).build();
  private final Stream stream;

  public RawPubsubPeer(Multiaddr target) throws Exception {
    stream = host.newStream(target, "/meshsub/1.1.0").get(10, TimeUnit.SECONDS);
  }

  public Identity identity() {
    return identity;
  }

  public Host host() {
    return host;
  }

  public Stream stream() {
    return stream;
  }

  /** A message signed by our identity, as a well-behaved peer would send it. */
  public Rpc.Message signed(String topic, String text, long seqno) {
    return MessageSigning.sign(identity, topic, text.getBytes(), seqno);
  }

  public void subscribe(String topic) throws Exception {
    send(new Rpc(List.of(new Rpc.SubOpts(true, topic)), List.of(), Rpc.Control.EMPTY));
  }

  public void publish(Rpc.Message m) throws Exception {
    send(Rpc.ofMessages(List.of(m)));
  }

  public void send(Rpc rpc) throws Exception {
    writeFramed(rpc.encode());
  }

  public void writeFramed(byte[] body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, body.length);
    out.writeBytes(body);
    writeRaw(out.toByteArray());
  }

  public void writeRaw(byte[] bytes) throws Exception {
    stream.write(bytes).get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    host.close();
  }
}
