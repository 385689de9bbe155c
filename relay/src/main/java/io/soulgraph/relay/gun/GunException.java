package io.soulgraph.relay.gun;

/**
 * Everything a peer can do wrong, in one taxonomy. {@link CloseCodes} maps each kind to what the
 * relay does about it: answer with {@code err}, or close the connection.
 */
public abstract sealed class GunException extends RuntimeException {

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

  /** The peer kept misbehaving or cannot keep up: the connection is closed. */
  public static final class Abusive extends GunException {
    private final int closeCode;

    public Abusive(int closeCode, String message) {
      super(message);
      this.closeCode = closeCode;
    }

    /** The WebSocket close code to send. */
    public int closeCode() {
      return closeCode;
    }
  }
}
