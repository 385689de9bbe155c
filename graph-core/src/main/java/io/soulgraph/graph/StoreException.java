package io.soulgraph.graph;

/** The backend failed (a commit, a read, opening the store). */
public final class StoreException extends RuntimeException {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
