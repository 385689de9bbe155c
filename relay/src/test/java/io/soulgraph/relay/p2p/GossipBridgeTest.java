package io.soulgraph.relay.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import io.soulgraph.libp2p.pubsub.PubsubApi;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sync.CommittedChange;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class GossipBridgeTest {

  private final List<String> published = new ArrayList<>();
  private boolean connected;

  /** A router that records what it was asked to publish, connected to a peer or to none. */
  private final PubsubApi router = fake(PubsubApi.class, (method, args) -> {
    switch (method) {
      case "publish" -> {
        published.add(new String((byte[]) args[1], StandardCharsets.UTF_8));
        return CompletableFuture.completedFuture(connected ? 1 : 0);
      }
      case "reachesPeers" -> {
        return connected;
      }
      default -> throw new UnsupportedOperationException(method);
    }
  });

  /** Publishes on the calling thread, so what was published is known when publish returns. */
  private final GossipBridge bridge = new GossipBridge(
      fake(SyncEngine.class, (method, args) -> {
        throw new UnsupportedOperationException(method);
      }),
      router,
      "soulgraph/test",
      new GossipBridge.Limits(1 << 20, 1 << 20, 16, Duration.ofMinutes(1), Duration.ofMinutes(5)),
      Runnable::run,
      new RelayMetrics(),
      () -> null,
      GossipBridge.UserSpaceCheck.NONE);

  private interface Answer {
    Object answer(String method, Object[] args);
  }

  private static <T> T fake(Class<T> type, Answer answer) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> answer.answer(method.getName(), args)));
  }

  private static CommittedChange change(String soul) {
    Node node = Node.empty(soul).with("v", Value.of(1), 10);
    return new CommittedChange(
        Graph.of(node), GunCodec.putOf("c" + soul, List.of(GunCodec.nodeMember(node))), null);
  }

  @Test
  void aRelayWithNoConnection_publishesNothing_andOnceAPeerIsConnected_publishesEachChange() {
    bridge.publisher().publish(change("alone"));
    assertEquals(List.of(), published, "a change published with no libp2p connection");

    connected = true;
    bridge.publisher().publish(change("connected"));
    assertEquals(1, published.size(), "changes published with a peer connected: " + published);
    assertEquals(change("connected").putMessage(), published.get(0));
  }
}
