package io.soulgraph.graph;

/** The conformance suite on JanusGraph-inmemory. */
class InMemorySoulStoreTest extends SoulStoreConformanceTest {

  @Override
  protected SoulStore open(ManualTicker ticker) {
    return SoulStores.open(StoreConfig.inMemory(), ticker);
  }
}
