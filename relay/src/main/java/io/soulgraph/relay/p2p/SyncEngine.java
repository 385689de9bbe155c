package io.soulgraph.relay.p2p;

import io.soulgraph.relay.sync.Link;
import io.soulgraph.relay.sync.Role;
import io.soulgraph.relay.sync.Session;
import io.soulgraph.relay.sync.SyncCore;

/**
 * What the libp2p transports need of the sync core: open a session for a link, hand it frames, and
 * say when the link ended. The relay passes its {@code SyncCore}; tests pass a fake.
 */
public interface SyncEngine {

  /** A session for {@code link}, or null at the connection limit. */
  Session open(Link link, Role provisionalRole);

  /** One text frame received on {@code session}'s link. */
  void receive(Session session, String frame);

  /** {@code session}'s link ended. */
  void close(Session session);

  /** The relay's sync core as the libp2p transports see it. */
  static SyncEngine of(SyncCore core) {
    return new SyncEngine() {
      @Override
      public Session open(Link link, Role provisionalRole) {
        return core.open(link, provisionalRole);
      }

      @Override
      public void receive(Session session, String frame) {
        core.receive(session, frame);
      }

      @Override
      public void close(Session session) {
        core.close(session);
      }
    };
  }
}
