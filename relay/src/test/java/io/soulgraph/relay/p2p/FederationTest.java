package io.soulgraph.relay.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.ham.Graph;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.sync.CommittedChange;
import io.soulgraph.relay.sync.Disconnect;
import io.soulgraph.relay.sync.Link;
import io.soulgraph.relay.sync.Role;
import io.soulgraph.relay.sync.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The libp2p transports of federation between real in-process hosts on loopback, with a fake sync
 * core that records what it is given: the sync stream's sessions and frames, gossip both ways, the
 * validator, isolation by topic, and what happens when the core disconnects a peer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class FederationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /** A sync core that opens sessions and records frames and closes. */
  static final class FakeEngine implements SyncEngine {
    record Received(Session session, String frame) {}

    final List<Session> opened = new CopyOnWriteArrayList<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<Session> closed = new CopyOnWriteArrayList<>();
    volatile boolean full;

    @Override
    public Session open(Link link, Role provisionalRole) {
      if (full) {
        return null;
      }
      Session session = new Session(link, provisionalRole);
      opened.add(session);
      return session;
    }

    @Override
    public void receive(Session session, String frame) {
      received.add(new Received(session, frame));
    }

    @Override
    public void close(Session session) {
      closed.add(session);
    }

    List<Session> opened(Role role) {
      return opened.stream().filter(s -> s.role() == role).toList();
    }

    List<String> framesOn(Role role) {
      return received.stream().filter(r -> r.session().role() == role).map(Received::frame)
          .toList();
    }
  }

  private record Node(Libp2pNode libp2p, Federation federation, FakeEngine engine,
      RelayMetrics metrics) {
    String address() {
      return libp2p.addresses().get(0);
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private final List<UserSpaceValidator> validators = new ArrayList<>();

  @AfterEach
  void stopNodes() {
    nodes.forEach(n -> n.libp2p().close());
    validators.forEach(UserSpaceValidator::close);
  }

  private Node start(String network, String... bootstrap) {
    FakeEngine engine = new FakeEngine();
    RelayMetrics metrics = new RelayMetrics();
    UserSpaceValidator userSpace = new UserSpaceValidator(soul -> Optional.empty(), 1);
    validators.add(userSpace);
    Federation federation = new Federation(engine, network, 1 << 20, metrics, userSpace);
    Libp2pNode libp2p = Libp2pNode.start("127.0.0.1",
        new Libp2pConfig(true, 0, network, List.of(bootstrap), false), null, "test", federation);
    Node node = new Node(libp2p, federation, engine, metrics);
    nodes.add(node);
    return node;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Not within " + PATIENCE + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  private static String put(String soul, String value) {
    return "{\"#\":\"" + soul + value + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul
        + "\",\">\":{\"v\":1}},\"v\":\"" + value + "\"}}}";
  }

  /** A committed change as the core hands it to publishers: its graph and its put message. */
  private static CommittedChange change(String putMessage) {
    return change(putMessage, null);
  }

  /** A committed change whose put came from {@code origin}. */
  private static CommittedChange change(String putMessage, Session origin) {
    try {
      Graph graph = GunCodec.readGraph(new ObjectMapper().readTree(putMessage).get("put"));
      return new CommittedChange(graph, putMessage, origin);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(putMessage, e);
    }
  }

  /** Publishes {@code message} from {@code from} until {@code to}'s core has it (mesh forming). */
  private static void publishUntilReceived(Node from, Node to, String message) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!to.engine().framesOn(Role.CLIENT).contains(message)) {
      if (System.nanoTime() > deadline) {
        fail("gossip did not deliver " + message + "; received " + to.engine().received);
      }
      from.federation().publisher().publish(change(message));
      Thread.sleep(250);
    }
  }

  @Test
  void dialer_opensOneSyncStream_andFramesArriveInOrderOnAPeerSession() throws Exception {
    Node a = start("default");
    Node b = start("default", a.address());
    await("a SOULGRAPH_PEER session on both sides",
        () -> a.engine().opened(Role.SOULGRAPH_PEER).size() == 1
            && b.engine().opened(Role.SOULGRAPH_PEER).size() == 1);
    Session atB = b.engine().opened(Role.SOULGRAPH_PEER).get(0);
    Session atA = a.engine().opened(Role.SOULGRAPH_PEER).get(0);
    assertTrue(atB.link().liveChangesElsewhere());
    assertEquals("p2p:" + a.libp2p().peerId(), atB.link().describe());
    assertEquals(1, a.federation().syncStreams());

    List<String> sent = new ArrayList<>();
    List<Runnable> written = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 200; i++) {
      String frame = "[{\"#\":\"m" + i + "\",\"n\":\"" + "é".repeat(i * 50) + "\"}]";
      sent.add(frame);
      atB.link().write(frame, () -> written.add(() -> { }));
    }
    await("200 frames at A", () -> a.engine().framesOn(Role.SOULGRAPH_PEER).size() == 200);
    assertEquals(sent, a.engine().framesOn(Role.SOULGRAPH_PEER));
    assertTrue(a.engine().received.stream().allMatch(r -> r.session() == atA));
    await("every write confirmed", () -> written.size() == 200);

    atA.link().disconnect(Disconnect.SHUTDOWN, "bye");
    await("both sides close their session",
        () -> a.engine().closed.contains(atA) && b.engine().closed.contains(atB));
    Thread.sleep(500);
    assertEquals(1, b.engine().opened(Role.SOULGRAPH_PEER).size(), "no second stream");
    int before = a.engine().received.size();
    atB.link().write("[]", () -> { });
    Thread.sleep(300);
    assertEquals(before, a.engine().received.size(), "nothing arrives after the end");
  }

  @Test
  void atTheConnectionLimit_theStreamIsRefused_andNoSessionLingers() throws Exception {
    Node a = start("default");
    a.engine().full = true;
    Node b = start("default", a.address());
    await("B's session opened then closed",
        () -> b.engine().opened(Role.SOULGRAPH_PEER).size() == 1
            && b.engine().closed.size() == 1);
    assertEquals(0, a.engine().opened.size());
  }

  @Test
  void committedChanges_goOutOnTheTopic_andArriveOnAPerPublisherClientSession() throws Exception {
    Node a = start("default");
    Node b = start("default", a.address());
    publishUntilReceived(a, b, put("s1", "one"));
    publishUntilReceived(b, a, put("s2", "two"));
    List<Session> gossipAtB = b.engine().opened(Role.CLIENT);
    assertEquals(1, gossipAtB.size());
    assertEquals("gossip:" + a.libp2p().peerId(), gossipAtB.get(0).link().describe());
    assertTrue(gossipAtB.get(0).link().liveChangesElsewhere());
    assertTrue(a.metrics().count("soulgraph.gossip.messages.out") >= 1);
    assertTrue(b.metrics().count("soulgraph.gossip.messages.in") >= 1);
    // What the core writes back (acks) goes nowhere and is confirmed at once.
    boolean[] confirmed = new boolean[1];
    gossipAtB.get(0).link().write("{\"@\":\"x\",\"ok\":1}", () -> confirmed[0] = true);
    assertTrue(confirmed[0]);
  }

  @Test
  void aChangeThatCameFromTheTopic_isNotPublishedAgain_andTheMeshGetsItByForwarding()
      throws Exception {
    Node a = start("default");
    Node b = start("default", a.address());
    Node c = start("default", b.address());
    await("B linked to A and C", () -> b.libp2p().connectedPeers().size() == 2);
    assertEquals(1, c.libp2p().connectedPeers().size(), "C is not linked to A");
    publishUntilReceived(a, c, put("s1", "one"));
    Session fromA = b.engine().opened(Role.CLIENT).get(0);
    assertEquals("gossip:" + a.libp2p().peerId(), fromA.link().describe());

    // B's core committed A's change and hands it to the publishers, then a change of its own.
    b.federation().publisher().publish(change(put("s1", "one"), fromA));
    b.federation().publisher().publish(change(put("s2", "own")));
    await("B's own change at A and C", () -> a.engine().framesOn(Role.CLIENT).contains(
        put("s2", "own")) && c.engine().framesOn(Role.CLIENT).contains(put("s2", "own")));
    // Published in order, so an echo of s1 would have arrived before s2.
    assertTrue(a.engine().framesOn(Role.CLIENT).stream().noneMatch(f -> f.contains("s1")),
        a.engine().received.toString());
    String publishedByB = "gossip:" + b.libp2p().peerId();
    assertTrue(c.engine().received.stream().noneMatch(r -> r.frame().contains("s1")
        && r.session().link().describe().equals(publishedByB)), c.engine().received.toString());
  }

  @Test
  void malformedGossip_isRejectedAndNotForwarded_whileValidMessagesPass() throws Exception {
    Node a = start("default");
    Node b = start("default", a.address());
    Node c = start("default", b.address());
    String topic = Libp2pConfig.topic("default");
    publishUntilReceived(a, c, put("warm", "up"));
    List<String> garbage = List.of("not json", "{\"get\":{\"#\":\"warm\"}}",
        "{\"put\":{\"x\":{\"_\":{\"#\":\"x\",\">\":{}},\"v\":1}}}", "[]");
    for (String bad : garbage) {
      a.federation().gossip().publish(topic, bad.getBytes(StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS);
    }
    String after = put("after", "garbage");
    a.federation().publisher().publish(change(after));
    await("the valid message after the garbage reaches C",
        () -> c.engine().framesOn(Role.CLIENT).contains(after));
    for (String bad : garbage) {
      assertTrue(!b.engine().framesOn(Role.CLIENT).contains(bad), "B delivered " + bad);
      assertTrue(!c.engine().framesOn(Role.CLIENT).contains(bad), "C got " + bad);
    }
    assertTrue(b.libp2p().host().connections().stream()
        .anyMatch(conn -> conn.remotePeer().toString().equals(a.libp2p().peerId())),
        "a malformed message alone does not cost the connection");
    String rejected = b.metrics().scrape().lines()
        .filter(l -> l.startsWith("soulgraph_gossip_messages_in_total{outcome=\"rejected\"}"))
        .findFirst().orElse("none");
    assertTrue(rejected.endsWith(" 4.0"), rejected);
  }

  @Test
  void aForgedUserSpaceWrite_isRejectedBeforeItIsDeliveredOrForwarded() throws Exception {
    Node a = start("default");
    Node b = start("default", a.address());
    Node c = start("default", b.address());
    publishUntilReceived(a, c, put("warm", "up"));
    // ~abc.def/profile belongs to the key abc.def: an unsigned value there is a forgery.
    String forged = "{\"#\":\"f1\",\"put\":{\"~abc.def/profile\":{\"_\":{\"#\":"
        + "\"~abc.def/profile\",\">\":{\"name\":1}},\"name\":\"mallory\"}}}";
    // as a hostile peer sends it: a relay publishes only what its core accepted
    a.federation().gossip().publish(Libp2pConfig.topic("default"),
        forged.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    String after = put("after", "forgery");
    a.federation().publisher().publish(change(after));
    await("the valid message after the forgery reaches C",
        () -> c.engine().framesOn(Role.CLIENT).contains(after));
    assertTrue(!b.engine().framesOn(Role.CLIENT).contains(forged), "B delivered the forgery");
    assertTrue(!c.engine().framesOn(Role.CLIENT).contains(forged), "B forwarded the forgery");
    assertTrue(b.metrics().scrape().contains(
        "soulgraph_gossip_messages_in_total{outcome=\"rejected\"} 1.0"), b.metrics().scrape());
  }

  @Test
  void differentNetworks_exchangeNoGossip() throws Exception {
    Node a = start("a");
    Node b = start("b", a.address());
    Node b2 = start("b", b.address());
    await("connected", () -> !a.libp2p().connectedPeers().isEmpty());
    publishUntilReceived(b2, b, put("in-b", "x")); // network b itself works
    for (int i = 0; i < 8; i++) {
      a.federation().publisher().publish(change(put("from-a", "" + i)));
      b.federation().publisher().publish(change(put("from-b", "" + i)));
      Thread.sleep(250);
    }
    assertEquals(List.of(), a.engine().framesOn(Role.CLIENT));
    assertTrue(b.engine().framesOn(Role.CLIENT).stream().noneMatch(f -> f.contains("from-a")));
    assertTrue(b.libp2p().connectedPeers().contains(a.libp2p().peerId()), "still connected");
  }

  @Test
  void whenTheCoreDisconnectsAGossipPeer_itsConnectionClosesAndItsMessagesAreRefused()
      throws Exception {
    Node a = start("default");
    Node b = start("default");
    b.libp2p().host().dial(io.soulgraph.libp2p.Multiaddr.fromString(a.address()))
        .get(10, TimeUnit.SECONDS);
    publishUntilReceived(a, b, put("s", "first"));
    Session gossipA = b.engine().opened(Role.CLIENT).get(0);
    gossipA.link().disconnect(Disconnect.ABUSE, "too many bad puts");
    await("B closed its connection to A", () -> b.libp2p().connectedPeers().isEmpty());
    await("the core was told the session ended", () -> b.engine().closed.contains(gossipA));
    a.libp2p().host().dial(io.soulgraph.libp2p.Multiaddr.fromString(b.address()))
        .get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 8; i++) {
      a.federation().publisher().publish(change(put("s", "again" + i)));
      Thread.sleep(250);
    }
    assertTrue(b.engine().framesOn(Role.CLIENT).stream().noneMatch(f -> f.contains("again")),
        b.engine().framesOn(Role.CLIENT).toString());
    assertEquals(1, b.engine().opened(Role.CLIENT).size());
  }
}
