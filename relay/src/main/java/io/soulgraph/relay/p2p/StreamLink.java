package io.soulgraph.relay.p2p;

import io.soulgraph.libp2p.Stream;
import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Link;
import java.util.function.BiConsumer;

/**
 * The sync core's link over one {@code /soulgraph/sync/1.0.0} stream: each frame is written
 * length-prefixed, in the order written (the stream queues it; the core bounds what it queues by
 * counting {@code written}). Live changes reach this peer by gossipsub, not over this link.
 */
final class StreamLink implements Link {

  private final Stream stream;
  private final String description;
  private final BiConsumer<Disconnect, String> onDisconnect;
  private boolean closed;

  StreamLink(Stream stream, BiConsumer<Disconnect, String> onDisconnect) {
    this.stream = stream;
    this.description = "p2p:" + stream.connection().remotePeer();
    this.onDisconnect = onDisconnect;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void write(String frame, Runnable written) {
    byte[] bytes = Frames.encode(frame);
    synchronized (this) {
      if (closed) {
        written.run();
        return;
      }
      // Called under the lock so that frames reach the stream in the order they were written.
      stream.write(bytes).whenComplete((ok, error) -> written.run());
    }
  }

  @Override
  public void disconnect(Disconnect reason, String text) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    onDisconnect.accept(reason, text);
  }

  @Override
  public boolean liveChangesElsewhere() {
    return true;
  }

  /** Drops further writes: the stream has ended. */
  synchronized void ended() {
    closed = true;
  }

  Stream stream() {
    return stream;
  }

  @Override
  public String toString() {
    return description;
  }
}
