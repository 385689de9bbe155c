package io.soulgraph.libp2p.protocol;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Libp2pException.ConnectionClosedException;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.ProtocolHandler;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.StreamListener;
import io.soulgraph.libp2p.internal.util.Varint;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * libp2p identify ({@code /ipfs/id/1.0.0}): the responder writes one varint-length-prefixed
 * {@link IdentifyInfo} and closes its side; the initiator reads it.
 */
public final class Identify implements ProtocolHandler<IdentifyController> {
  public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
  /** Limit at the edge: js sends about 400 bytes; a peer sending more is not identifying. */
  public static final int MAX_MESSAGE = 64 * 1024;

  private final Function<Connection, IdentifyInfo> local;

  /** @param local what we say about ourselves on a given connection */
  public Identify(Function<Connection, IdentifyInfo> local) {
    this.local = local;
  }

  public static ProtocolBinding<IdentifyController> binding(
      Function<Connection, IdentifyInfo> local) {
    return new ProtocolBinding<>(PROTOCOL_ID, new Identify(local));
  }

  @Override
  public IdentifyController onStartResponder(Stream stream) {
    byte[] msg = local.apply(stream.connection()).encode();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, msg.length);
    out.writeBytes(msg);
    stream.setListener((s, data) -> { }); // the initiator sends nothing; ignore stray bytes
    stream.write(out.toByteArray());
    stream.closeWrite();
    CompletableFuture<IdentifyInfo> none = CompletableFuture.failedFuture(
        new IllegalStateException("the responder does not receive identify info"));
    return () -> none;
  }

  @Override
  public IdentifyController onStartInitiator(Stream stream) {
    Reader reader = new Reader();
    stream.setListener(reader);
    return () -> reader.result;
  }

  private static final class Reader implements StreamListener {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final CompletableFuture<IdentifyInfo> result = new CompletableFuture<>();

    @Override
    public void onData(Stream s, byte[] data) {
      if (result.isDone()) {
        return;
      }
      if (buf.size() + data.length > MAX_MESSAGE + 4) {
        fail(s, new ProtocolViolationException("identify message exceeds " + MAX_MESSAGE));
        return;
      }
      buf.writeBytes(data);
      byte[] all = buf.toByteArray();
      int[] pos = {0};
      long len;
      try {
        len = Varint.read(all, pos);
      } catch (ProtocolViolationException e) {
        return; // the varint itself is incomplete: wait for more
      }
      if (len > MAX_MESSAGE) {
        fail(s, new ProtocolViolationException("identify message of " + len + " bytes"));
      } else if (all.length - pos[0] >= len) {
        byte[] msg = java.util.Arrays.copyOfRange(all, pos[0], pos[0] + (int) len);
        try {
          result.complete(IdentifyInfo.decode(msg));
        } catch (ProtocolViolationException e) {
          fail(s, e);
          return;
        }
        s.closeWrite();
      }
    }

    private void fail(Stream s, RuntimeException e) {
      result.completeExceptionally(e);
      s.reset();
    }

    @Override
    public void onRemoteClose(Stream s) {
      result.completeExceptionally(new ConnectionClosedException("identify stream ended early"));
      s.closeWrite();
    }

    @Override
    public void onReset(Stream s) {
      result.completeExceptionally(new ConnectionClosedException("identify stream reset"));
    }
  }
}
