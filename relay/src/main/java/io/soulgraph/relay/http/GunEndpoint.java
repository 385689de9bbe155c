package io.soulgraph.relay.http;

import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Role;
import io.soulgraph.relay.sync.Session;
import io.soulgraph.relay.sync.SyncCore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /gun} connection's Jetty listener: hands its frames to the sync core's session and
 * nothing else (the protocol is {@link SyncCore}'s). Jetty calls it from one thread at a time; it
 * is public because Jetty binds its methods by reflection.
 */
public final class GunEndpoint implements Listener.AutoDemanding {

  private static final Logger LOG = LoggerFactory.getLogger(GunEndpoint.class);

  private final SyncCore core;
  private final String id;
  private Session session;

  GunEndpoint(SyncCore core, String id) {
    this.core = core;
    this.id = id;
  }

  @Override
  public void onWebSocketOpen(org.eclipse.jetty.websocket.api.Session jettySession) {
    WsLink link = new WsLink(jettySession, id);
    session = core.openInHeldPlace(link, Role.CLIENT); // held by GunSocketServlet.service
    if (session == null) {
      link.disconnect(Disconnect.OVERLOADED, "Too many connections");
    }
  }

  @Override
  public void onWebSocketText(String frame) {
    if (session != null) {
      core.receive(session, frame);
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    if (session != null) {
      core.receive(session, StandardCharsets.UTF_8.decode(payload).toString());
    }
    callback.succeed();
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    if (session != null) {
      core.close(session);
    }
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    LOG.debug("WebSocket error on {}", id, cause);
  }
}
