package io.soulgraph.graph;

/**
 * A put the store will not hold: it would go past one of the {@link StoreConfig.Bounds} (a node
 * too wide, the deferral area full). Nothing of it was applied; the store is healthy, and the same
 * put may succeed later (deferred fields land). A full write queue is
 * {@link StoreBusyException}: that is the store's load, not this put's size.
 */
public final class PutRefusedException extends RuntimeException {

  public PutRefusedException(String message) {
    super(message);
  }
}
