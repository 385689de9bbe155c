package io.soulgraph.libp2p.protocol;

import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.Libp2pException.ConnectionClosedException;
import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.ProtocolHandler;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.StreamListener;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * libp2p ping ({@code /ipfs/ping/1.0.0}): the initiator sends 32 random bytes, the responder
 * echoes them, as often as the initiator likes on one stream. js-libp2p pings every connection
 * every 10 s and drops it if this fails, so every host binds it.
 */
public final class Ping implements ProtocolHandler<PingController> {
  public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";
  static final int SIZE = 32;

  private final LongSupplier nanoClock;
  private final SecureRandom random = new SecureRandom();

  /** @param nanoClock the clock round trips are measured with (injectable for tests) */
  public Ping(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  public static ProtocolBinding<PingController> binding() {
    return new ProtocolBinding<>(PROTOCOL_ID, new Ping(System::nanoTime));
  }

  @Override
  public PingController onStartResponder(Stream stream) {
    stream.setListener(new StreamListener() {
      @Override
      public void onData(Stream s, byte[] data) {
        s.write(data); // echo, in whatever pieces the bytes arrived
      }

      @Override
      public void onRemoteClose(Stream s) {
        s.closeWrite();
      }
    });
    return RESPONDER;
  }

  /** What a responder's caller gets: pings go the other way on this stream. */
  private static final PingController RESPONDER = new PingController() {
    @Override
    public CompletableFuture<Duration> ping() {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the remote opened this stream; only it can ping"));
    }

    @Override
    public void close() {}
  };

  @Override
  public PingController onStartInitiator(Stream stream) {
    Initiator c = new Initiator(stream);
    stream.setListener(c);
    return c;
  }

  private final class Initiator implements PingController, StreamListener {
    private record Outstanding(byte[] payload, long sentAt, CompletableFuture<Duration> done) {}

    private final Stream stream;
    private final ArrayDeque<Outstanding> outstanding = new ArrayDeque<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    Initiator(Stream stream) {
      this.stream = stream;
    }

    @Override
    public CompletableFuture<Duration> ping() {
      byte[] payload = new byte[SIZE];
      random.nextBytes(payload);
      CompletableFuture<Duration> done = new CompletableFuture<>();
      synchronized (this) {
        outstanding.add(new Outstanding(payload, nanoClock.getAsLong(), done));
      }
      stream.write(payload).exceptionally(e -> {
        done.completeExceptionally(e);
        return null;
      });
      return done;
    }

    @Override
    public void close() {
      stream.closeWrite();
    }

    @Override
    public synchronized void onData(Stream s, byte[] data) {
      received.writeBytes(data);
      while (received.size() >= SIZE) {
        byte[] all = received.toByteArray();
        received.reset();
        received.write(all, SIZE, all.length - SIZE);
        Outstanding o = outstanding.poll();
        if (o == null || !Arrays.equals(o.payload(), Arrays.copyOf(all, SIZE))) {
          BadPeerException bad = new BadPeerException("ping answer does not match");
          if (o != null) {
            o.done().completeExceptionally(bad);
          }
          s.reset();
          return;
        }
        o.done().complete(Duration.ofNanos(nanoClock.getAsLong() - o.sentAt()));
      }
    }

    @Override
    public void onRemoteClose(Stream s) {
      onReset(s);
    }

    @Override
    public synchronized void onReset(Stream s) {
      outstanding.forEach(o -> o.done().completeExceptionally(
          new ConnectionClosedException("ping stream closed")));
      outstanding.clear();
    }
  }
}
