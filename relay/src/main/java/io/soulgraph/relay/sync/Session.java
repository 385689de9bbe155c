package io.soulgraph.relay.sync;

import io.soulgraph.relay.gun.GunLimits;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection as the sync core sees it, and all its state in one place: the link to write to,
 * what the peer is ({@link Role}), its budget (rate, puts waiting for commit, frames queued to it,
 * strikes), the souls it subscribed to, and whether it was ended. Transports hold a session and
 * hand it back to {@link SyncCore}; they never look inside.
 */
public final class Session {

  /** How many fields a peer (a relay, a Soulgraph peer) may have in the store at a time. */
  private static final int PEER_STORE_FIELDS = 1024;

  private final Link link;
  private final SessionBudget budget;
  private final Set<String> subscribedSouls = ConcurrentHashMap.newKeySet();
  private final AtomicLong subscribedBytes = new AtomicLong();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean antiEntropyStarted = new AtomicBoolean();
  private final PutLane lane = new PutLane();
  private final Role provisionalRole;
  private volatile Role role;
  private volatile AntiEntropy.Stream outgoing;

  /** A session with the default limits (tests, publishers' own bookkeeping). */
  public Session(Link link, Role role) {
    this(link, role, new SessionBudget(GunLimits.defaults(), System::nanoTime));
  }

  Session(Link link, Role role, SessionBudget budget) {
    this.link = link;
    this.role = role;
    this.provisionalRole = role;
    this.budget = budget;
  }

  /** The transport's side of the connection. */
  public Link link() {
    return link;
  }

  /** What the peer is, as far as its handshake has told. */
  public Role role() {
    return role;
  }

  /** True for a GunDB relay or a Soulgraph peer: a session that carries many clients' traffic. */
  public boolean isPeer() {
    return role != Role.CLIENT;
  }

  /**
   * True when the session carries the relay's own writes, or many writers' traffic from a peer the
   * operator configured (a {@code --peer} URL, or a transport that opened it as a peer): no
   * message rate. A connection that only claims to be a Soulgraph peer in its handshake stays
   * metered: a browser could claim it too.
   */
  boolean unmetered() {
    return provisionalRole != Role.CLIENT || link instanceof SyncCore.LocalLink;
  }

  void learnRole(Role learnt) {
    this.role = learnt;
  }

  SessionBudget budget() {
    return budget;
  }

  /** Its puts' way into the store, in pieces and within its share. */
  PutLane lane() {
    return lane;
  }

  /**
   * How many of its fields may be inside the store at a time: for a client its widest whole put,
   * several pieces of a bigger one; a peer carries many clients' puts, so it gets more.
   */
  int storeShare() {
    return isPeer() ? PEER_STORE_FIELDS : PutLane.WHOLE_FIELDS;
  }

  /**
   * The most fields of one piece of its puts wider than {@link PutLane#WHOLE_FIELDS}: a client's
   * big put goes in small pieces so that others wait for little; a peer's puts are many writers'
   * changes joined, committed as before in pieces as wide as a client's whole put.
   */
  int pieceFields() {
    return isPeer() ? PutLane.WHOLE_FIELDS : PutLane.PIECE_FIELDS;
  }

  /** The souls this session subscribed to (a live view, owned by {@link Subscriptions}). */
  Set<String> subscribedSouls() {
    return subscribedSouls;
  }

  AtomicLong subscribedBytes() {
    return subscribedBytes;
  }

  /** True the first time only: anti-entropy with this peer starts once per session. */
  boolean startAntiEntropy() {
    return antiEntropyStarted.compareAndSet(false, true);
  }

  /** The anti-entropy stream this session is being sent, or null. */
  AntiEntropy.Stream outgoing() {
    return outgoing;
  }

  void outgoing(AntiEntropy.Stream stream) {
    this.outgoing = stream;
  }

  /**
   * Marks the session ended for cause: nothing more it sends is handled.
   *
   * @return true the first time only
   */
  boolean end() {
    return ended.compareAndSet(false, true);
  }

  /** Whether the core ended the session (abuse, a slow reader, an internal error). */
  public boolean ended() {
    return ended.get();
  }

  @Override
  public String toString() {
    return link.describe();
  }
}
