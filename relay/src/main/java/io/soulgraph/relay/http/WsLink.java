package io.soulgraph.relay.http;

import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Link;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A connection to our {@code /gun} endpoint over Jetty: writes frames, closes with a code. */
final class WsLink implements Link {

  private static final int MAX_REASON_BYTES = 120;

  private final String id;
  private final Session session;

  WsLink(Session session, String id) {
    this.session = session;
    this.id = id;
  }

  @Override
  public String describe() {
    return id;
  }

  @Override
  public boolean readsBatches() {
    return true; // gun clients and GunDB relays read array frames
  }

  @Override
  public void write(String frame, Runnable written) {
    if (!session.isOpen()) {
      written.run();
      return;
    }
    session.sendText(frame, Callback.from(written, failure -> written.run()));
  }

  @Override
  public void disconnect(Disconnect reason, String text) {
    session.close(CloseCodes.of(reason), truncate(text), Callback.NOOP);
    if (reason == Disconnect.SLOW_READER) {
      session.disconnect(); // the close frame would queue behind what it does not read
    }
  }

  static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    return new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8).replace("\uFFFD", "");
  }

  @Override
  public String toString() {
    return id;
  }
}
