package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.BackendStatus;
import io.soulgraph.graph.ChangeListener;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import io.soulgraph.relay.gun.GunFrames;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A change a Soulgraph peer or a gossipsub publisher sends reaches this relay's subscribers before
 * this relay commits it (its sender holds it already), once; a client's put reaches them only
 * after the commit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class EarlyPushTest {

  private SoulStore memory;
  private HeldStore store;
  private SyncCore core;

  @BeforeEach
  void open() {
    memory = SoulStores.open(StoreConfig.inMemory());
    store = new HeldStore(memory);
    core = new SyncCore(store, GunLimits.defaults(), new RelayMetrics(), "testpid");
  }

  @AfterEach
  void close() throws Exception {
    store.release();
    core.close();
    memory.close();
  }

  @Test
  void peersPut_reachesSubscribersBeforeItsCommitHere_andOnlyOnce() throws Exception {
    RecordingLink peer = new RecordingLink("peer", true);
    pushedBeforeItsCommit_andOnlyOnce(peer, peer, Role.SOULGRAPH_PEER);
  }

  @Test
  void gossipPut_reachesSubscribersBeforeItsCommitHere_andOnlyOnce() throws Exception {
    RecordingLink published = new RecordingLink("gossip");
    // as GossipBridge opens a publisher's session
    pushedBeforeItsCommit_andOnlyOnce(new HeldChangesLink(published), published, Role.CLIENT);
  }

  private void pushedBeforeItsCommit_andOnlyOnce(Link link, RecordingLink answers, Role role)
      throws Exception {
    String soul = "early/" + System.nanoTime();
    RecordingLink subscriber = subscribed(soul);
    Session sender = core.open(link, role);

    core.receive(sender, GunFrames.put("sent", soul, System.currentTimeMillis() - 1000, "k",
        "\"v\""));
    JsonNode pushed = subscriber.await(pushOf(soul));
    assertEquals("v", pushed.path("put").path(soul).path("k").asText());
    assertTrue(memory.node(soul).isEmpty(), "pushed while this relay's commit is held");

    store.release();
    answers.await(m -> "sent".equals(m.path("@").asText())); // answered after the commit
    assertEquals(1, subscriber.matching(pushOf(soul)).size(), "pushed once, not again");
  }

  @Test
  void clientsPut_reachesSubscribersOnlyAfterItsCommit() throws Exception {
    String soul = "late/" + System.nanoTime();
    RecordingLink subscriber = subscribed(soul);
    RecordingLink writerLink = new RecordingLink("writer");
    Session writer = core.open(writerLink, Role.CLIENT);

    core.receive(writer, GunFrames.put("from-client", soul, System.currentTimeMillis() - 1000,
        "k", "\"v\""));
    store.awaitHeldPut();
    Thread.sleep(200); // what would be pushed before the commit has had time to be
    assertEquals(List.of(), subscriber.matching(pushOf(soul)), "nothing before the commit");

    store.release();
    // the push and the ack leave in the same delivery turn, in either order: wait for both
    subscriber.await(pushOf(soul));
    writerLink.await(m -> "from-client".equals(m.path("@").asText()));
    assertEquals(1, subscriber.matching(pushOf(soul)).size(), "pushed once, after the commit");
  }

  /** A client subscribed to {@code soul}. */
  private RecordingLink subscribed(String soul) throws InterruptedException {
    RecordingLink subscriber = new RecordingLink("subscriber");
    Session client = core.open(subscriber, Role.CLIENT);
    core.receive(client, "{\"#\":\"sub\",\"get\":{\"#\":\"" + soul + "\"}}");
    subscriber.await(m -> "sub".equals(m.path("@").asText()));
    return subscriber;
  }

  private static Predicate<JsonNode> pushOf(String soul) {
    return m -> m.has("put") && !m.has("@") && m.path("put").has(soul);
  }

  /** A gossipsub publisher's link: what it sends, its sender holds already. */
  private record HeldChangesLink(RecordingLink recording) implements Link {
    @Override
    public String describe() {
      return recording.describe();
    }

    @Override
    public void write(String frame, Runnable written) {
      recording.write(frame, written);
    }

    @Override
    public void disconnect(Disconnect reason, String text) {
      recording.disconnect(reason, text);
    }

    @Override
    public boolean sendsHeldChanges() {
      return true;
    }
  }

  /** A store whose puts wait until {@link #release}: a commit still under way. */
  private static final class HeldStore implements SoulStore {
    private final SoulStore store;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);

    HeldStore(SoulStore store) {
      this.store = store;
    }

    void release() {
      gate.countDown();
    }

    void awaitHeldPut() throws InterruptedException {
      assertTrue(held.await(10, TimeUnit.SECONDS), "a put reached the store");
    }

    @Override
    public CompletableFuture<PutResult> put(Graph diff, Object origin) {
      held.countDown();
      return CompletableFuture.runAsync(() -> {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }).thenCompose(ready -> store.put(diff, origin));
    }

    @Override
    public void validate(Graph diff) {
      store.validate(diff);
    }

    @Override
    public int queuedWrites() {
      return store.queuedWrites();
    }

    @Override
    public long queuedWriteBytes() {
      return store.queuedWriteBytes();
    }

    @Override
    public Optional<String> failure() {
      return store.failure();
    }

    @Override
    public Optional<Node> node(String soul) {
      return store.node(soul);
    }

    @Override
    public Optional<FieldState> field(String soul, String field) {
      return store.field(soul, field);
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
      return store.subscribe(listener);
    }

    @Override
    public String replicaId() {
      return store.replicaId();
    }

    @Override
    public CausalContext context() {
      return store.context();
    }

    @Override
    public UpdateCursor missingFor(CausalContext remote, int maxBatch) {
      return store.missingFor(remote, maxBatch);
    }

    @Override
    public CompletableFuture<PutResult> applyAntiEntropy(List<Update> batch,
        CausalContext senderContext, Object origin) {
      return store.applyAntiEntropy(batch, senderContext, origin);
    }

    @Override
    public GraphTraversalSource readOnlyTraversal() {
      return store.readOnlyTraversal();
    }

    @Override
    public GraphTraversalSource readOnlyInternals() {
      return store.readOnlyInternals();
    }

    @Override
    public BackendStatus backendStatus() {
      return store.backendStatus();
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
