package io.soulgraph.relay.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.sync.CommittedChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

final class GossipOutboxTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final List<String> published = new ArrayList<>();
  private final GossipOutbox outbox = new GossipOutbox(tasks::add, published::add);

  private static CommittedChange change(Node... nodes) {
    Graph graph = Graph.of(nodes);
    List<String> members = new ArrayList<>();
    graph.nodes().values().forEach(n -> members.add(GunCodec.nodeMember(n)));
    return new CommittedChange(graph, GunCodec.putOf("c" + members.hashCode(), members), null);
  }

  private static Graph graphOf(String message) throws Exception {
    return GunCodec.readGraph(JSON.readTree(message).get("put"));
  }

  private void runTasks() {
    while (!tasks.isEmpty()) {
      tasks.poll().run();
    }
  }

  @Test
  void offer_aChangeWaitingAlone_isPublishedAsItsOwnMessage() {
    CommittedChange alone = change(Node.empty("a").with("x", Value.of(1), 10));
    outbox.offer(alone);
    runTasks();
    assertEquals(List.of(alone.putMessage()), published);
  }

  @Test
  void offer_changesQueuedBehindAPublish_goOutAsOneMessageHoldingTheirJoin() throws Exception {
    CommittedChange first = change(Node.empty("a").with("x", Value.of("old"), 10),
        Node.empty("b").with("y", Value.of(true), 5));
    CommittedChange second = change(Node.empty("a").with("x", Value.of("new"), 20)
        .with("z", Value.of(3), 20));
    CommittedChange stale = change(Node.empty("a").with("x", Value.of("older"), 1));
    outbox.offer(first);
    outbox.offer(second);
    outbox.offer(stale);
    assertEquals(1, tasks.size(), "one drain for all three");
    runTasks();
    assertEquals(1, published.size(), published.toString());
    Graph expected = first.graph().join(second.graph()).join(stale.graph());
    assertEquals(expected, graphOf(published.get(0)));
    assertEquals(Value.of("new"), expected.field("a", "x").value());
  }

  @Test
  void offer_moreFieldsThanOneMessageHolds_splitsThemWithoutLosingAny() throws Exception {
    int changes = GossipOutbox.MAX_JOINED_FIELDS * 2 + 7;
    Graph all = Graph.EMPTY;
    for (int i = 0; i < changes; i++) {
      CommittedChange c = change(Node.empty("s" + i).with("f", Value.of(i), 100));
      all = all.join(c.graph());
      outbox.offer(c);
    }
    runTasks();
    assertEquals(3, published.size());
    Graph received = Graph.EMPTY;
    for (String message : published) {
      Graph g = graphOf(message);
      assertTrue(g.fieldCount() <= GossipOutbox.MAX_JOINED_FIELDS, "fields " + g.fieldCount());
      received = received.join(g);
    }
    assertEquals(all, received);
  }

  @Test
  void offer_afterClose_publishesNothing() {
    outbox.close();
    outbox.offer(change(Node.empty("a").with("x", Value.of(1), 10)));
    runTasks();
    assertEquals(List.of(), published);
  }
}
