package io.soulgraph.relay.p2p;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.ProtocolHandler;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.StreamListener;
import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Role;
import io.soulgraph.relay.sync.Session;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /soulgraph/sync/1.0.0} protocol: one stream per libp2p connection, opened by the side
 * that dialed it, carrying length-prefixed text frames ({@link Frames}) between two sync-core
 * sessions of role {@link Role#SOULGRAPH_PEER}. The core runs the handshake (with its network
 * check), anti-entropy and get forwarding over it; this class only frames and keeps the stream's
 * life tied to the session's.
 */
final class SyncStreams implements ProtocolHandler<Session> {

  /** The protocol id; the version changes when the framing or the message shapes do. */
  static final String PROTOCOL_ID = "/soulgraph/sync/1.0.0";

  private static final Logger LOG = LoggerFactory.getLogger(SyncStreams.class);
  /** How long a disconnected stream gets to flush its last frames (an err) before a reset. */
  private static final long LINGER_MILLIS = 2000;

  private final SyncEngine engine;
  private final int maxFrameBytes;
  private final long maxPendingBytes;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  /** The sync stream of each connection; a connection whose session the core ended stays here. */
  private final Map<Connection, Channel> channels = new ConcurrentHashMap<>();

  SyncStreams(
      SyncEngine engine,
      int maxFrameBytes,
      long maxPendingBytes,
      Executor executor,
      ScheduledExecutorService timer) {
    this.engine = engine;
    this.maxFrameBytes = maxFrameBytes;
    this.maxPendingBytes = maxPendingBytes;
    this.executor = executor;
    this.timer = timer;
  }

  ProtocolBinding<Session> binding() {
    return new ProtocolBinding<>(PROTOCOL_ID, this);
  }

  /** Opens the sync stream on a connection we dialed; the dialed side answers it. */
  void onConnection(Connection connection) {
    if (!connection.isInitiator()) {
      return;
    }
    connection
        .newStream(binding())
        .whenComplete(
            (session, error) -> {
              if (error != null) {
                LOG.debug(
                    "{} has no {} stream for us ({}); gossip only",
                    connection.remotePeer(),
                    PROTOCOL_ID,
                    error.getMessage());
              }
            });
  }

  /** How many sync streams are open now. */
  int openStreams() {
    return (int) channels.values().stream().filter(c -> !c.ended.get()).count();
  }

  @Override
  public Session onStartInitiator(Stream stream) {
    return attach(stream);
  }

  @Override
  public Session onStartResponder(Stream stream) {
    return attach(stream);
  }

  private Session attach(Stream stream) {
    Connection connection = stream.connection();
    Channel channel = new Channel(stream);
    Channel existing = channels.putIfAbsent(connection, channel);
    if (existing != null) {
      LOG.warn(
          "refusing a second {} stream from {}: one per connection",
          PROTOCOL_ID,
          connection.remotePeer());
      stream.reset();
      return null;
    }
    connection.closeFuture().whenComplete((ok, error) -> {
      channels.remove(connection, channel);
      channel.end();
    });
    Session session = engine.open(channel.link, Role.SOULGRAPH_PEER);
    if (session == null) {
      LOG.warn("refusing {} from {}: at the connection limit", PROTOCOL_ID, connection.remotePeer());
      channel.ended.set(true);
      channel.link.ended();
      stream.reset();
      return null;
    }
    channel.session = session;
    stream.setListener(channel);
    LOG.debug("{} open with {}", PROTOCOL_ID, connection.remotePeer());
    return session;
  }

  /** Ends every stream (the relay is stopping); the core's sessions are closed. */
  void closeAll() {
    for (Channel channel : List.copyOf(channels.values())) {
      channel.stream.reset();
      channel.end();
    }
    channels.clear();
  }

  /** One sync stream: decodes frames in, hands them to the core in order, ends once. */
  private final class Channel implements StreamListener {
    private final Stream stream;
    private final StreamLink link;
    private final Frames.Decoder decoder = new Frames.Decoder(maxFrameBytes);
    private final SerialQueue queue = new SerialQueue(executor, maxPendingBytes);
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Session session;

    Channel(Stream stream) {
      this.stream = stream;
      this.link = new StreamLink(stream, this::disconnectedByCore);
    }

    @Override
    public void onData(Stream s, byte[] data) {
      if (ended.get()) {
        return;
      }
      List<String> frames;
      try {
        frames = decoder.feed(data);
      } catch (Frames.FramingException e) {
        LOG.warn("closing {} with {}: {}", PROTOCOL_ID, s.connection().remotePeer(),
            e.getMessage());
        stream.reset();
        end();
        return;
      }
      for (String frame : frames) {
        Session current = session;
        if (!queue.offer(() -> engine.receive(current, frame), frame.length())) {
          LOG.warn(
              "closing {} with {}: more than {} bytes waiting for the relay",
              PROTOCOL_ID,
              s.connection().remotePeer(),
              maxPendingBytes);
          stream.reset();
          end();
          return;
        }
      }
    }

    @Override
    public void onRemoteClose(Stream s) {
      stream.closeWrite();
      end();
    }

    @Override
    public void onReset(Stream s) {
      end();
    }

    /** The transport saw the stream end: the core closes the session, once. */
    void end() {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      link.ended();
      Session current = session;
      if (current != null) {
        queue.always(() -> engine.close(current));
      }
    }

    /**
     * The core ended the session (a refused network, abuse, shutdown): the stream is closed after
     * its last frames (the core's err) had time to flush, and this connection gets no other sync
     * stream. The libp2p connection itself stays: gossip on it is judged on its own.
     */
    private void disconnectedByCore(Disconnect reason, String text) {
      Connection connection = stream.connection();
      if (reason == Disconnect.SHUTDOWN) {
        LOG.debug("closing {} with {}: {}", PROTOCOL_ID, connection.remotePeer(), text);
      } else {
        LOG.info("closing {} with {}: {} ({})", PROTOCOL_ID, connection.remotePeer(), text,
            reason);
      }
      stream.closeWrite();
      try {
        timer.schedule(stream::reset, LINGER_MILLIS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        stream.reset(); // stopping
      }
      end();
    }
  }
}
