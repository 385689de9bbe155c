package io.soulgraph.relay.sync;

/**
 * One connection as the sync core sees it: the link to write to and what the peer is. The core
 * keeps all per-connection state here (budget, subscriptions, what the peer has seen).
 */
public final class Session {

  private final Link link;
  private volatile Role role;

  public Session(Link link, Role role) {
    this.link = link;
    this.role = role;
  }

  /** The transport's side of the connection. */
  public Link link() {
    return link;
  }

  /** What the peer is, as far as its handshake has told. */
  public Role role() {
    return role;
  }

  void learnRole(Role learnt) {
    this.role = learnt;
  }

  @Override
  public String toString() {
    return link.describe();
  }
}
