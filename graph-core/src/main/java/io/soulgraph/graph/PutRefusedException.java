package io.soulgraph.graph;

/**
 * A put the store will not hold: it would go past one of the {@link StoreConfig.Bounds} (a node
 * too wide, the deferral area or the write queue full). Nothing of it was applied; the store is
 * healthy, and the same put may succeed later (a queue drains, deferred fields land).
 */
public final class PutRefusedException extends IllegalStateException {

  public PutRefusedException(String message) {
    super(message);
  }
}
