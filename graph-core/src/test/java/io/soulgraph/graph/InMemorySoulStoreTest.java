package io.soulgraph.graph;

/** The conformance suite on JanusGraph-inmemory. */
class InMemorySoulStoreTest extends SoulStoreConformanceTest {

  @Override
  protected StoreConfig config() {
    return StoreConfig.inMemory();
  }
}
