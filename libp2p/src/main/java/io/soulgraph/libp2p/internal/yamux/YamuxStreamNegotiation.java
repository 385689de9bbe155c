package io.soulgraph.libp2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.internal.multistream.MultistreamNegotiator;
import java.util.concurrent.CompletableFuture;

/**
 * multistream-select on one yamux stream: the stream's first bytes go here until a protocol is
 * agreed; bytes after the deciding message belong to that protocol. Event-loop only.
 */
final class YamuxStreamNegotiation {
  private static final byte[] NOTHING = new byte[0];

  private final MultistreamNegotiator negotiator;
  private final CompletableFuture<Stream> result;
  private ByteBuf buffer = Unpooled.buffer();

  YamuxStreamNegotiation(MultistreamNegotiator negotiator, CompletableFuture<Stream> result) {
    this.negotiator = negotiator;
    this.result = result;
  }

  byte[] start() {
    return negotiator.start();
  }

  boolean isDone() {
    return negotiator.isDone();
  }

  String selected() {
    return negotiator.selected();
  }

  /**
   * Feeds inbound bytes.
   *
   * @return bytes to send back, possibly empty
   * @throws RuntimeException when negotiation fails (the caller resets the stream)
   */
  byte[] feed(byte[] data) {
    buffer.writeBytes(data);
    return negotiator.onData(buffer);
  }

  /** Once done: completes the result and returns the bytes that followed the agreement. */
  byte[] succeed(Stream stream) {
    byte[] rest = NOTHING;
    if (buffer.isReadable()) {
      rest = new byte[buffer.readableBytes()];
      buffer.readBytes(rest);
    }
    release();
    result.complete(stream);
    return rest;
  }

  /** Fails the result unless it already succeeded, and frees the buffer. */
  void fail(Throwable cause) {
    release();
    result.completeExceptionally(cause);
  }

  private void release() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }
}
