package io.soulgraph.graph;

/** Opens {@link SoulStore}s. The single entry point of graph-core. */
public final class SoulStores {

  private SoulStores() {}

  /**
   * Opens (creating if needed) the store the configuration describes.
   *
   * @throws StoreException if the backend cannot be opened
   */
  public static SoulStore open(StoreConfig config) {
    throw new UnsupportedOperationException("graph-core: not implemented yet (issue 3)");
  }
}
