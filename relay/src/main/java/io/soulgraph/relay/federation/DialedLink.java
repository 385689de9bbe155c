package io.soulgraph.relay.federation;

import io.soulgraph.relay.http.CloseCodes;
import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Link;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A relay we dialed, over a Tyrus client session. Frames are written in order by one thread. */
final class DialedLink implements Link {

  private static final Logger LOG = LoggerFactory.getLogger(DialedLink.class);

  private final String id;
  private final Session session;
  private final ExecutorService writer;

  DialedLink(String url, Session session, ExecutorService writer) {
    this.id = "peer:" + url;
    this.session = session;
    this.writer = writer;
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
    try {
      writer.execute(
          () -> {
            try {
              session.getBasicRemote().sendText(frame);
            } catch (IOException | IllegalStateException e) {
              LOG.debug("Dropped a frame to {}: {}", id, e.toString());
            } finally {
              written.run();
            }
          });
    } catch (RejectedExecutionException stopped) {
      written.run();
    }
  }

  @Override
  public void disconnect(Disconnect reason, String text) {
    try {
      session.close(
          new CloseReason(CloseReason.CloseCodes.getCloseCode(CloseCodes.of(reason)), text));
    } catch (IOException e) {
      LOG.debug("Closing {} failed: {}", id, e.toString());
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
