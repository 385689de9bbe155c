package io.soulgraph.graph;

import io.soulgraph.graph.internal.JanusSoulStore;
import io.soulgraph.ham.Ticker;

/** Opens {@link SoulStore}s. The single entry point of graph-core. */
public final class SoulStores {

  private SoulStores() {}

  /**
   * Opens (creating if needed) the store the configuration describes.
   *
   * @throws StoreException if the backend cannot be opened
   */
  public static SoulStore open(StoreConfig config) {
    return open(config, Ticker.system());
  }

  /**
   * Opens the store with {@code ticker} as its machine clock (HAM's {@code now}, the deferral
   * timer): tests and simulations control time with it.
   *
   * @throws StoreException if the backend cannot be opened
   */
  public static SoulStore open(StoreConfig config, Ticker ticker) {
    return JanusSoulStore.open(config, ticker);
  }
}
