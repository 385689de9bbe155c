package io.soulgraph.graph;

/**
 * The store cannot take a write now: its write queue is full (the writer is that far behind) or
 * it is closing. Nothing of the write was applied and nothing is wrong with it or with the data;
 * the writer should send it again later (to this store once it has caught up, or to the restarted
 * one). Distinct from {@link PutRefusedException} (this write is over a bound) and from
 * {@link StoreException} (the backend failed).
 */
public final class StoreBusyException extends RuntimeException {

  private final boolean closing;

  public StoreBusyException(String message, boolean closing) {
    super(message);
    this.closing = closing;
  }

  /** True if the store is closing (it will take no more writes), false if it is only behind. */
  public boolean closing() {
    return closing;
  }
}
