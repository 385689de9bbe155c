package io.soulgraph.graph;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite on JanusGraph-BerkeleyJE, each store in a fresh data directory. */
class BerkeleyJeSoulStoreTest extends SoulStoreConformanceTest {

  @TempDir Path tmp;

  @Override
  protected SoulStore open(ManualTicker ticker) throws Exception {
    return SoulStores.open(StoreConfig.berkeleyJe(Files.createTempDirectory(tmp, "store")), ticker);
  }
}
