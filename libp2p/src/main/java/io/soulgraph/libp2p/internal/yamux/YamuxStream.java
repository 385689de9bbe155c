package io.soulgraph.libp2p.internal.yamux;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Libp2pException.ConnectionClosedException;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.StreamListener;
import io.soulgraph.libp2p.internal.multistream.MultistreamNegotiator;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One yamux stream: flow-control windows both ways, half-close and reset, and the stream's
 * multistream-select negotiation before bytes reach the protocol's listener. Every field is
 * touched only on the connection's event loop.
 */
final class YamuxStream implements Stream {
  private final YamuxSession session;
  private final int id;
  private final boolean initiator;
  private final YamuxSendQueue sendQueue = new YamuxSendQueue();
  private final ArrayDeque<byte[]> undelivered = new ArrayDeque<>();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private long recvWindow = YamuxSession.RECEIVE_WINDOW; // granted in our SYN or ACK
  private long consumed;
  private YamuxStreamNegotiation negotiation;
  private String protocolId;
  private StreamListener listener;
  private boolean localClosed;
  private boolean remoteClosed;
  private boolean finPending;
  private boolean remoteCloseDelivered;
  private boolean reset;

  YamuxStream(YamuxSession session, int id, boolean initiator) {
    this.session = session;
    this.id = id;
    this.initiator = initiator;
  }

  int id() {
    return id;
  }

  /** Starts multistream-select; {@code result} completes when a protocol is agreed. */
  void negotiate(MultistreamNegotiator n, CompletableFuture<Stream> result) {
    negotiation = new YamuxStreamNegotiation(n, result);
    byte[] first = negotiation.start();
    if (first.length > 0) {
      sendRaw(first);
    }
  }

  @Override
  public String protocolId() {
    return protocolId;
  }

  @Override
  public Connection connection() {
    return session.connection();
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public void setListener(StreamListener l) {
    session.run(() -> {
      listener = l;
      drain();
    });
  }

  @Override
  public CompletableFuture<Void> write(byte[] data) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    byte[] copy = data.clone();
    session.run(() -> {
      if (reset || localClosed || finPending) {
        done.completeExceptionally(new ConnectionClosedException("stream " + id + " is closed"));
        return;
      }
      sendQueue.add(copy, done);
      flushWrites();
    });
    return done;
  }

  @Override
  public CompletableFuture<Void> closeWrite() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    session.run(() -> {
      if (!reset && !localClosed) {
        finPending = true;
        flushWrites();
      }
      done.complete(null);
    });
    return done;
  }

  @Override
  public void reset() {
    session.run(() -> {
      if (!reset && !(localClosed && remoteClosed)) {
        session.send(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0), true);
        onReset();
      }
    });
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /** Queues negotiation bytes; they use the stream window like any other data. */
  private void sendRaw(byte[] bytes) {
    sendQueue.add(bytes, new CompletableFuture<>());
    flushWrites();
  }

  /** Sends queued writes as far as the remote's window allows, then a pending FIN. */
  void flushWrites() {
    if (reset) {
      return;
    }
    boolean wrote = sendQueue.drain(body -> session.send(YamuxFrame.data(id, 0, body), false));
    if (finPending && sendQueue.isEmpty()) {
      finPending = false;
      localClosed = true;
      session.send(YamuxFrame.windowUpdate(id, YamuxFrame.FIN, 0), false);
      wrote = true;
      maybeFullyClosed();
    }
    if (wrote) {
      session.flush();
    }
  }

  void onWindowUpdate(long delta) {
    sendQueue.credit(delta);
    flushWrites();
  }

  void onData(byte[] data) {
    if (data.length > recvWindow) {
      throw new ProtocolViolationException("stream " + id + " got " + data.length
          + " bytes with only " + recvWindow + " bytes of window left");
    }
    recvWindow -= data.length;
    if (remoteClosed || reset) {
      return; // data after FIN: drop it, the window accounting above still applies
    }
    if (negotiation != null && !negotiation.isDone()) {
      consume(data.length);
      advanceNegotiation(data);
      return;
    }
    undelivered.add(data);
    drain();
  }

  private void advanceNegotiation(byte[] data) {
    byte[] reply;
    try {
      reply = negotiation.feed(data);
    } catch (RuntimeException e) {
      // A refused or garbled stream negotiation concerns this stream, not the connection.
      negotiation.fail(e);
      session.send(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0), true);
      onReset();
      return;
    }
    if (reply.length > 0) {
      sendRaw(reply);
    }
    if (negotiation.isDone()) {
      protocolId = negotiation.selected();
      byte[] rest = negotiation.succeed(this);
      if (rest.length > 0) {
        undelivered.add(rest);
      }
      drain();
    }
  }

  void onRemoteFin() {
    remoteClosed = true;
    if (negotiation != null && !negotiation.isDone()) {
      negotiation.fail(new ConnectionClosedException(
          "stream " + id + " closed during protocol negotiation"));
      onReset();
      return;
    }
    drain();
    maybeFullyClosed();
  }

  /** Delivers buffered bytes and a remote close to the listener, reopening our window. */
  private void drain() {
    if (listener == null || reset) {
      return;
    }
    while (!undelivered.isEmpty()) {
      byte[] d = undelivered.poll();
      consume(d.length);
      listener.onData(this, d);
    }
    if (remoteClosed && !remoteCloseDelivered) {
      remoteCloseDelivered = true;
      listener.onRemoteClose(this);
    }
  }

  private void consume(int n) {
    consumed += n;
    // Grant credit back once half the window is used: few updates, no stall.
    if (consumed >= YamuxSession.RECEIVE_WINDOW / 2 && !remoteClosed && !reset) {
      recvWindow += consumed;
      session.send(YamuxFrame.windowUpdate(id, 0, consumed), true);
      consumed = 0;
    }
  }

  void onReset() {
    if (reset) {
      return;
    }
    reset = true;
    ConnectionClosedException closed = new ConnectionClosedException("stream " + id + " reset");
    sendQueue.failAll(closed);
    undelivered.clear();
    if (negotiation != null) {
      negotiation.fail(closed); // no-op if it had succeeded
    }
    session.remove(this);
    if (listener != null) {
      listener.onReset(this);
    }
    closeFuture.complete(null);
  }

  private void maybeFullyClosed() {
    if (localClosed && remoteClosed && !reset) {
      session.remove(this);
      closeFuture.complete(null);
    }
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocolId + " to " + session.remoteName() + "]";
  }
}
