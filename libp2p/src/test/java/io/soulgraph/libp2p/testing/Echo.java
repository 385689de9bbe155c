package io.soulgraph.libp2p.testing;

import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.ProtocolHandler;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.StreamListener;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A custom test protocol: the responder echoes every byte and closes when the initiator does.
 * The initiator's controller sends a message, half-closes, and collects the whole echo.
 */
public final class Echo implements ProtocolHandler<Echo.Controller> {
  public static final String PROTOCOL_ID = "/soulgraph/echo/1.0.0";

  /** Initiator handle. */
  public interface Controller {
    /** Sends {@code data}, half-closes, completes with everything echoed back. */
    CompletableFuture<byte[]> roundTrip(byte[] data);
  }

  public static ProtocolBinding<Controller> binding() {
    return new ProtocolBinding<>(PROTOCOL_ID, new Echo());
  }

  @Override
  public Controller onStartResponder(Stream stream) {
    stream.setListener(new StreamListener() {
      @Override
      public void onData(Stream s, byte[] data) {
        s.write(data);
      }

      @Override
      public void onRemoteClose(Stream s) {
        s.closeWrite();
      }
    });
    return data -> CompletableFuture.failedFuture(new IllegalStateException("responder"));
  }

  @Override
  public Controller onStartInitiator(Stream stream) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    stream.setListener(new StreamListener() {
      @Override
      public void onData(Stream s, byte[] data) {
        got.writeBytes(data);
      }

      @Override
      public void onRemoteClose(Stream s) {
        result.complete(got.toByteArray());
      }

      @Override
      public void onReset(Stream s) {
        result.completeExceptionally(new IllegalStateException("echo stream reset"));
      }
    });
    return data -> {
      stream.write(data);
      stream.closeWrite();
      return result;
    };
  }
}
