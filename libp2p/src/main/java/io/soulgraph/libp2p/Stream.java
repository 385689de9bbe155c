package io.soulgraph.libp2p;

import java.util.concurrent.CompletableFuture;

/**
 * One multiplexed, negotiated, bidirectional byte stream on a {@link Connection}.
 *
 * <p>Threading: all callbacks and future completions of a connection run on that connection's
 * I/O thread. They must not block; chain further work with the futures' async methods if it
 * may. The methods here may be called from any thread.
 */
public interface Stream {
  /** The protocol id negotiated for this stream, e.g. {@code /ipfs/ping/1.0.0}. */
  String protocolId();

  /** The connection this stream runs on. */
  Connection connection();

  /** True if we opened this stream. */
  boolean isInitiator();

  /**
   * Sets the receiver of inbound bytes and events. Bytes that arrived before this call are
   * delivered to it right away, in order; our flow-control window only reopens as bytes are
   * delivered, so a stream without a listener is throttled, never unbounded.
   */
  void setListener(StreamListener listener);

  /**
   * Sends bytes. The future completes once they are handed to the connection, which happens
   * only as the remote's flow-control window allows: waiting for it is the back-pressure.
   */
  CompletableFuture<Void> write(byte[] data);

  /** Half-closes: we send no more (yamux FIN) but still receive. */
  CompletableFuture<Void> closeWrite();

  /** Aborts the stream in both directions (yamux RST). */
  void reset();

  /** Completes when the stream is closed in both directions or reset. */
  CompletableFuture<Void> closeFuture();
}
