package io.soulgraph.relay.http;

import io.javalin.websocket.WsContext;
import io.soulgraph.relay.gun.CloseCodes;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.gun.Peer;
import io.soulgraph.relay.gun.PeerBudget;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A client (or dialing relay) connected to our {@code /gun} endpoint, over Jetty. */
final class WsPeer implements Peer {

  private static final Logger LOG = LoggerFactory.getLogger(WsPeer.class);
  private static final int MAX_REASON_BYTES = 120;

  private final String id;
  private final Session session;
  private final PeerBudget budget;

  WsPeer(WsContext ctx, GunLimits limits) {
    this.session = ctx.session;
    this.id = "ws:" + ctx.sessionId() + "@" + session.getRemoteSocketAddress();
    this.budget = new PeerBudget(limits, System::nanoTime);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void send(String frame) {
    if (!session.isOpen()) {
      return;
    }
    long chars = frame.length();
    if (!budget.beginSend(chars)) {
      LOG.warn("Closing {}: it does not read what it is sent ({} bytes queued)", id,
          budget.outboundBytes());
      close(CloseCodes.TRY_AGAIN_LATER, "Too many frames waiting to be sent");
      session.disconnect(); // the close frame would queue behind what it does not read
      return;
    }
    session.sendText(
        frame, Callback.from(() -> budget.endSend(chars), failure -> budget.endSend(chars)));
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, truncate(reason), Callback.NOOP);
  }

  static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    return new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8).replace("\uFFFD", "");
  }

  @Override
  public boolean isRelay() {
    return false;
  }

  @Override
  public PeerBudget budget() {
    return budget;
  }

  @Override
  public String toString() {
    return id;
  }
}
