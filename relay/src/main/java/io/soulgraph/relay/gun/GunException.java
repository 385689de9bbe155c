package io.soulgraph.relay.gun;

/**
 * Everything a peer can do wrong, in one taxonomy. The sync core decides what the relay does about
 * each kind: answer with {@code err}, or end the session ({@code Disconnect.ABUSE}).
 */
public abstract sealed class GunException extends RuntimeException
    permits GunException.BadFrame,
        GunException.LimitExceeded,
        GunException.Busy,
        GunException.Abusive {

  GunException(String message) {
    super(message);
  }

  /** The frame or a message in it is malformed: not JSON, wrong types, too deep. Answered. */
  public static final class BadFrame extends GunException {
    public BadFrame(String message) {
      super(message);
    }
  }

  /** The peer went over one of its limits (rate, in-flight puts, frame size). Answered. */
  public static final class LimitExceeded extends GunException {
    public LimitExceeded(String message) {
      super(message);
    }
  }

  /**
   * The relay is busy with this peer's earlier work (puts waiting for commit). Answered, but not
   * held against the peer: it is load, not abuse.
   */
  public static final class Busy extends GunException {
    public Busy(String message) {
      super(message);
    }
  }

  /** The peer kept misbehaving or cannot keep up: the connection is closed. */
  public static final class Abusive extends GunException {
    public Abusive(String message) {
      super(message);
    }
  }
}
