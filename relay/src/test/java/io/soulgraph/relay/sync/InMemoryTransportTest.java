package io.soulgraph.relay.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The transport contract over in-memory sessions: the core alone, no socket. */
final class InMemoryTransportTest extends TransportContract {

  @Override
  protected Endpoint start() {
    SoulStore store = SoulStores.open(StoreConfig.inMemory());
    SyncCore core = new SyncCore(store, GunLimits.defaults(), new RelayMetrics(), "memory");
    return new Endpoint() {
      @Override
      public Client connect() {
        RecordingLink link = new RecordingLink("memory-client");
        Session session = core.open(link, Role.CLIENT);
        return new Client() {
          @Override
          public void send(String frame) {
            core.receive(session, frame);
          }

          @Override
          public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws Exception {
            return link.await(match);
          }

          @Override
          public List<JsonNode> matching(Predicate<JsonNode> match) {
            return link.matching(match);
          }

          @Override
          public boolean awaitClosed(Duration timeout) {
            return link.disconnected() != null;
          }

          @Override
          public void close() {
            core.close(session);
          }
        };
      }

      @Override
      public void close() throws Exception {
        core.close();
        store.close();
      }
    };
  }
}
