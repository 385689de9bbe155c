package io.soulgraph.relay;

/**
 * A relay could not start for a reason the operator can fix (a port in use, a data directory
 * that is a file, a backend that does not answer, a bad peer URL). The message is one line that
 * says what is wrong and which option changes it; the CLI prints it without a stack trace.
 */
public final class StartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
