package io.soulgraph.libp2p.internal.yamux;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Libp2pException.ConnectionClosedException;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.internal.multistream.MultistreamNegotiator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The yamux session state machine of one connection: opens and accepts streams, routes frames
 * to them, answers pings and handles GoAway. The dialer of the connection uses odd stream ids,
 * the listener even ones. Runs entirely on the channel's event loop.
 */
public final class YamuxSession extends ChannelInboundHandlerAdapter {
  public static final String PROTOCOL_ID = "/yamux/1.0.0";
  /** The window every yamux stream starts with, by the spec. */
  public static final int INITIAL_WINDOW = 256 * 1024;
  /**
   * The window we grant each stream right away (in its SYN or ACK): with only 256 KiB, a
   * sender stalls every window for a full round trip plus decryption; 1 MiB keeps it busy.
   * It is also the largest Data frame we accept.
   */
  public static final int RECEIVE_WINDOW = 1024 * 1024;
  /** Our Data frames fit one Noise message with their header, so the receiver can pipeline. */
  static final int MAX_SEND_FRAME = 65535 - 16 - YamuxFrame.HEADER_LENGTH;
  private static final int EXTRA_WINDOW = RECEIVE_WINDOW - INITIAL_WINDOW;
  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

  private final boolean dialer;
  private final int maxStreams;
  private final StreamAcceptor acceptor;
  private final Map<Integer, YamuxStream> streams = new HashMap<>();
  private Connection connection;
  private ChannelHandlerContext ctx;
  private int nextId;
  private boolean goneAway;

  public YamuxSession(boolean dialer, int maxStreams, StreamAcceptor acceptor) {
    this.dialer = dialer;
    this.maxStreams = maxStreams;
    this.acceptor = acceptor;
    this.nextId = dialer ? 1 : 2;
  }

  public void bind(Connection c) {
    this.connection = c;
  }

  Connection connection() {
    return connection;
  }

  String remoteName() {
    return connection == null ? "?" : connection.remotePeer().toString();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext c) {
    this.ctx = c;
  }

  /** Opens a stream and negotiates one of {@code protocols} on it. */
  public CompletableFuture<Stream> open(List<String> protocols) {
    CompletableFuture<Stream> result = new CompletableFuture<>();
    run(() -> {
      if (goneAway || !ctx.channel().isActive()) {
        result.completeExceptionally(new ConnectionClosedException("connection is closed"));
        return;
      }
      if (streams.size() >= maxStreams) {
        result.completeExceptionally(new IllegalStateException("expected fewer than "
            + maxStreams + " streams but " + streams.size() + " are open"));
        return;
      }
      YamuxStream s = new YamuxStream(this, nextId, true);
      nextId += 2;
      streams.put(s.id(), s);
      send(YamuxFrame.windowUpdate(s.id(), YamuxFrame.SYN, EXTRA_WINDOW), false);
      s.negotiate(MultistreamNegotiator.dialer(protocols), result);
    });
    return result;
  }

  @Override
  public void channelRead(ChannelHandlerContext c, Object msg) {
    YamuxFrame f = (YamuxFrame) msg;
    switch (f.type()) {
      case YamuxFrame.PING -> onPing(f);
      case YamuxFrame.GO_AWAY -> {
        goneAway = true;
        LOG.debug("GoAway({}) from {}", f.length(), remoteName());
        c.close();
      }
      default -> onStreamFrame(f);
    }
  }

  private void onPing(YamuxFrame f) {
    if (f.hasFlag(YamuxFrame.SYN)) {
      send(YamuxFrame.ping(YamuxFrame.ACK, f.length()), true);
    }
  }

  private void onStreamFrame(YamuxFrame f) {
    YamuxStream s = streams.get(f.streamId());
    if (f.hasFlag(YamuxFrame.SYN)) {
      if (s != null || f.streamId() == 0 || (f.streamId() % 2 == 1) != !dialer) {
        throw new ProtocolViolationException("bad SYN for stream id " + f.streamId());
      }
      s = accept(f.streamId());
      if (s == null) {
        return;
      }
    }
    if (s == null) {
      // Late frames for a stream we already closed or reset are normal; drop them.
      return;
    }
    if (f.type() == YamuxFrame.WINDOW_UPDATE) {
      s.onWindowUpdate(f.length());
    } else if (f.data().length > 0) {
      s.onData(f.data());
    }
    if (f.hasFlag(YamuxFrame.RST)) {
      s.onReset();
    } else if (f.hasFlag(YamuxFrame.FIN)) {
      s.onRemoteFin();
    }
  }

  private YamuxStream accept(int id) {
    if (streams.size() >= maxStreams || goneAway) {
      LOG.debug("refusing stream {} from {}: {} streams open", id, remoteName(), streams.size());
      send(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0), true);
      return null;
    }
    YamuxStream s = new YamuxStream(this, id, false);
    streams.put(id, s);
    send(YamuxFrame.windowUpdate(id, YamuxFrame.ACK, EXTRA_WINDOW), true);
    CompletableFuture<Stream> agreed = new CompletableFuture<>();
    agreed.thenAccept(acceptor::accept).exceptionally(e -> {
      LOG.debug("stream {} from {} not started: {}", id, remoteName(), e.toString());
      return null;
    });
    s.negotiate(MultistreamNegotiator.listener(acceptor::protocols), agreed);
    return s;
  }

  void remove(YamuxStream s) {
    streams.remove(s.id());
  }

  int openStreams() {
    return streams.size();
  }

  void send(YamuxFrame f, boolean flush) {
    if (flush) {
      ctx.writeAndFlush(f, ctx.voidPromise());
    } else {
      ctx.write(f, ctx.voidPromise());
    }
  }

  void flush() {
    ctx.flush();
  }

  /** Runs {@code task} on the event loop (now, if already there). */
  void run(Runnable task) {
    if (ctx.executor().inEventLoop()) {
      task.run();
    } else {
      ctx.executor().execute(task);
    }
  }

  /** Sends GoAway, then closes the channel. */
  public void goAway(int code) {
    run(() -> {
      if (!goneAway && ctx.channel().isActive()) {
        goneAway = true;
        ctx.writeAndFlush(YamuxFrame.goAway(code)).addListener(x -> ctx.close());
      } else {
        ctx.close();
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) {
    goneAway = true;
    for (YamuxStream s : new ArrayList<>(streams.values())) {
      s.onReset();
    }
    streams.clear();
    c.fireChannelInactive();
  }
}
