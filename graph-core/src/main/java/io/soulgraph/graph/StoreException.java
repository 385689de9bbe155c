package io.soulgraph.graph;

/**
 * The backend failed (a commit, a read, opening the store), or the store's writer stopped for
 * good ({@link SoulStore#failure()} says why).
 */
public final class StoreException extends RuntimeException {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
