package io.soulgraph.libp2p;

/**
 * The whole exception taxonomy of the libp2p module, in one file.
 *
 * <p>Every failure the stack reports is a subclass of this unchecked root. Asynchronous failures
 * complete futures exceptionally with one of these. Bad arguments and bad state from callers use
 * the JDK's {@link IllegalArgumentException} and {@link IllegalStateException} instead.
 */
public class Libp2pException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Libp2pException(String message) {
    super(message);
  }

  public Libp2pException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The remote peer misbehaved (bad signature, wrong identity): close it and penalise it. */
  public static class BadPeerException extends Libp2pException {
    private static final long serialVersionUID = 1L;

    public BadPeerException(String message) {
      super(message);
    }

    public BadPeerException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Bytes on the wire broke a protocol's grammar or a limit; the connection is closed. */
  public static class ProtocolViolationException extends BadPeerException {
    private static final long serialVersionUID = 1L;

    public ProtocolViolationException(String message) {
      super(message);
    }
  }

  /** The library itself malfunctioned (a crypto provider missing, an impossible state). */
  public static class InternalErrorException extends Libp2pException {
    private static final long serialVersionUID = 1L;

    public InternalErrorException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The connection or stream was closed (or reset) before the operation could finish. */
  public static class ConnectionClosedException extends Libp2pException {
    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
      super(message);
    }
  }

  /** The remote answered {@code na} to every protocol we proposed. */
  public static class NoSuchRemoteProtocolException extends Libp2pException {
    private static final long serialVersionUID = 1L;

    public NoSuchRemoteProtocolException(String message) {
      super(message);
    }
  }

  /** An operation did not finish within its limit (handshake, dial, negotiation). */
  public static class TimeoutException extends Libp2pException {
    private static final long serialVersionUID = 1L;

    public TimeoutException(String message) {
      super(message);
    }
  }
}
