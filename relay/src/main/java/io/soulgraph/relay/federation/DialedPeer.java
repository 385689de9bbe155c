package io.soulgraph.relay.federation;

import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.gun.Peer;
import io.soulgraph.relay.gun.PeerBudget;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A relay we dialed, over a Tyrus client session. Frames are written in order by one thread. */
final class DialedPeer implements Peer {

  private static final Logger LOG = LoggerFactory.getLogger(DialedPeer.class);

  private final String id;
  private final Session session;
  private final ExecutorService writer;
  private final PeerBudget budget;
  private volatile boolean lagging;

  DialedPeer(String url, Session session, ExecutorService writer, GunLimits limits) {
    this.id = "peer:" + url;
    this.session = session;
    this.writer = writer;
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
      if (!lagging) {
        lagging = true;
        LOG.warn("Peer relay {} does not keep up: dropping frames to it until it does", id);
      }
      return;
    }
    lagging = false;
    try {
      writer.execute(
          () -> {
            try {
              session.getBasicRemote().sendText(frame);
            } catch (IOException | IllegalStateException e) {
              LOG.debug("Dropped a frame to {}: {}", id, e.toString());
            } finally {
              budget.endSend(chars);
            }
          });
    } catch (RejectedExecutionException stopped) {
      budget.endSend(chars);
    }
  }

  @Override
  public void close(int code, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    } catch (IOException e) {
      LOG.debug("Closing {} failed: {}", id, e.toString());
    }
  }

  @Override
  public boolean isRelay() {
    return true;
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
