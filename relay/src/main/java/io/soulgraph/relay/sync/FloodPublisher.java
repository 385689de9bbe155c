package io.soulgraph.relay.sync;

import java.util.Set;

/**
 * GunDB's relay mesh style ({@code axe:false}): every committed change goes to every GunDB relay
 * and Soulgraph peer connected over a link that carries live changes, except the session it came
 * from. Peers whose live changes travel another way ({@link Link#liveChangesElsewhere()}, gossipsub)
 * are left out.
 */
final class FloodPublisher implements ChangePublisher {

  private final Set<Session> sessions;
  private final Outbox outbox;

  FloodPublisher(Set<Session> sessions, Outbox outbox) {
    this.sessions = sessions;
    this.outbox = outbox;
  }

  @Override
  public void publish(CommittedChange change) {
    for (Session session : sessions) {
      if (session.isPeer()
          && session != change.origin()
          && !session.link().liveChangesElsewhere()) {
        outbox.forward(session, "put", change.putMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "flood to relays";
  }
}
