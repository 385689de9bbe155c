package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.SoulStores;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.relay.gun.GunFrames;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SyncCore} driven directly, on the real in-memory store, sessions without sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SyncCoreTest {

  private static SoulStore store;
  private static SyncCore core;
  private static final RelayMetrics METRICS = new RelayMetrics();
  private static int souls;

  @BeforeAll
  static void open() {
    store = SoulStores.open(StoreConfig.inMemory());
    core = new SyncCore(store, GunLimits.defaults(), METRICS, "testpid");
  }

  @AfterAll
  static void close() throws Exception {
    core.close();
    store.close();
  }

  /** A session and what was written to it. */
  private record Conn(Session session, RecordingLink link) {
    JsonNode await(Predicate<JsonNode> match) throws InterruptedException {
      return link.await(match);
    }

    List<JsonNode> matching(Predicate<JsonNode> match) {
      return link.matching(match);
    }

    void say(String frame) {
      core.receive(session, frame);
    }
  }

  private static Conn connect(String name, Role role) {
    return connect(new RecordingLink(name), role);
  }

  private static Conn connect(RecordingLink link, Role role) {
    Session session = core.open(link, role);
    assertNotNull(session);
    return new Conn(session, link);
  }

  private static void close(Conn... conns) {
    for (Conn conn : conns) {
      core.close(conn.session());
    }
  }

  private static synchronized String soul() {
    return "proto/" + System.nanoTime() + "/" + souls++;
  }

  private static String put(String id, String soul, String field, String value) {
    return GunFrames.put(id, soul, System.currentTimeMillis() - 1000, field, value);
  }

  private static String get(String id, String soul) {
    return "{\"#\":\"" + id + "\",\"get\":{\"#\":\"" + soul + "\"}}";
  }

  private static String soulgraphHello(String id, String network) {
    return "{\"#\":\"" + id + "\",\"dam\":\"?\",\"pid\":\"other\",\"sg\":{\"v\":1,\"network\":\""
        + network + "\"}}";
  }

  private static Predicate<JsonNode> pushOf(String soul) {
    return m -> m.has("put") && !m.has("@") && m.path("put").has(soul);
  }

  private static Predicate<JsonNode> replyTo(String id) {
    return m -> id.equals(m.path("@").asText());
  }

  @Test
  void open_greetsWithDamQuestionPidAndSoulgraphMarker() throws Exception {
    Conn peer = connect("greeted", Role.CLIENT);
    JsonNode hello = peer.await(m -> m.has("dam"));
    assertEquals("?", hello.path("dam").asText());
    assertEquals("testpid", hello.path("pid").asText());
    assertEquals(1, hello.path("sg").path("v").asInt());
    assertEquals("default", hello.path("sg").path("network").asText());
    close(peer);
  }

  @Test
  void put_isPushedToSubscribers_notEchoedToWriter_andAckedToWriterOnly() throws Exception {
    String soul = soul();
    Conn writer = connect("writer", Role.CLIENT);
    Conn reader = connect("reader", Role.CLIENT);
    writer.say(get("wsub", soul));
    reader.say("{\"#\":\"rsub\",\"get\":{\"#\":\"" + soul + "\",\".\":\"x\"}}");
    writer.say(put("wput", soul, "x", "1"));
    assertEquals(1, writer.await(replyTo("wput")).path("ok").asInt());
    assertEquals(1, reader.await(pushOf(soul)).path("put").path(soul).path("x").asInt());
    assertEquals(List.of(), writer.matching(pushOf(soul)), "the writer has it already");
    assertEquals(List.of(), reader.matching(replyTo("wput")));
    close(writer, reader);
  }

  @Test
  void aBurstOfPuts_isAckedAndPushedWhole_inArrayFramesOfManyMessages() throws Exception {
    String soul = soul();
    Conn writer = connect("burst-writer", Role.CLIENT);
    Conn reader = connect("burst-reader", Role.CLIENT);
    reader.say(get("burst-sub", soul));
    reader.await(replyTo("burst-sub"));
    int framesBefore = reader.link().frames();
    StringBuilder burst = new StringBuilder("[");
    for (int i = 0; i < 500; i++) {
      burst.append(i == 0 ? "" : ",").append(put("burst" + i, soul, "f" + i, String.valueOf(i)));
    }
    writer.say(burst.append("]").toString());

    for (int i = 0; i < 500; i++) {
      assertEquals(1, writer.await(replyTo("burst" + i)).path("ok").asInt());
      String field = "f" + i;
      reader.await(m -> pushOf(soul).test(m) && m.path("put").path(soul).has(field));
    }
    int pushFrames = reader.link().frames() - framesBefore;
    assertTrue(pushFrames < 500, "500 pushes came in " + pushFrames + " frames");
    close(writer, reader);
  }

  @Test
  void put_isFloodedToDialedRelays_andGetsAreForwardedToThem() throws Exception {
    String soul = soul();
    Conn relay = connect("relay", Role.GUN_RELAY);
    Conn client = connect("client", Role.CLIENT);
    client.say(put("cput", soul, "k", "\"v\""));
    relay.await(pushOf(soul));
    client.say(get("cget", soul));
    client.await(m -> "cget".equals(m.path("@").asText()) && m.has("put"));
    relay.await(m -> "cget".equals(m.path("#").asText()) && m.has("get"));
    close(relay, client);
  }

  @Test
  void getForASoulTheRelayLacks_isAskedOfALibp2pPeer_andItsAnswerServedAndStored()
      throws Exception {
    String soul = soul();
    Conn peer = connect(new RecordingLink("libp2p-peer", true), Role.SOULGRAPH_PEER);
    Conn client = connect("asker", Role.CLIENT);
    client.say(get("lacking", soul));
    peer.await(m -> "lacking".equals(m.path("#").asText()) && m.has("get"));
    peer.say("{\"#\":\"answer\",\"@\":\"lacking\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\""
        + soul + "\",\">\":{\"k\":" + (System.currentTimeMillis() - 1000) + "}},\"k\":\"from peer\"}}}");
    JsonNode served = client.await(m -> "lacking".equals(m.path("@").asText()) && m.has("put"));
    assertEquals("from peer", served.path("put").path(soul).path("k").asText());
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (store.node(soul).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(io.soulgraph.ham.Value.of("from peer"), store.node(soul).orElseThrow().fields().get("k").value());
    close(peer, client);
  }

  @Test
  void soulgraphRelayDialingIn_isAPeerByItsHandshake_andFlooded() throws Exception {
    String soul = soul();
    Conn dialedIn = connect("dialed-in", Role.CLIENT);
    dialedIn.say(soulgraphHello("sghi", "default"));
    dialedIn.await(m -> "sghi".equals(m.path("@").asText()) && "?".equals(m.path("dam").asText()));
    assertEquals(Role.SOULGRAPH_PEER, dialedIn.session().role());
    Conn client = connect("client-of-sg", Role.CLIENT);
    client.say(put("sgput", soul, "k", "\"v\""));
    dialedIn.await(pushOf(soul));
    String lacking = soul();
    client.say(get("sgget", lacking));
    dialedIn.await(m -> "sgget".equals(m.path("#").asText()) && m.has("get"));
    close(dialedIn, client);
  }

  @Test
  void clientClaimingToBeASoulgraphPeer_staysRateLimited() throws Exception {
    GunLimits slow = new GunLimits(1 << 20, 64, 1000, 10, 100, 20_000, 1000, 100, 1000,
        java.time.Duration.ofSeconds(9));
    try (SyncCore metered = new SyncCore(store, slow, new RelayMetrics(), "metered")) {
      RecordingLink link = new RecordingLink("claimant");
      Session claimant = metered.open(link, Role.CLIENT);
      metered.receive(claimant, soulgraphHello("claim", "default"));
      link.await(replyTo("claim"));
      assertEquals(Role.SOULGRAPH_PEER, claimant.role());
      StringBuilder frame = new StringBuilder("[");
      for (int i = 0; i < 50; i++) {
        frame.append(i == 0 ? "" : ",").append(get("flood" + i, "x"));
      }
      metered.receive(claimant, frame.append("]").toString());
      link.await(m -> m.path("err").asText().contains("messages per second"));
      metered.close(claimant);
    }
  }

  @Test
  void getWhileTheBackendCannotBeRead_isAnsweredWithErr_andTheSessionStaysOpen() throws Exception {
    io.soulgraph.graph.SoulStore unreadable = (io.soulgraph.graph.SoulStore)
        java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {io.soulgraph.graph.SoulStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("node") || method.getName().equals("field")) {
                throw new io.soulgraph.graph.StoreException(
                    "Expected to read soul 'x' but the backend failed: no node up", null);
              }
              try {
                return method.invoke(store, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
    RelayMetrics metrics = new RelayMetrics();
    try (SyncCore reading = new SyncCore(unreadable, GunLimits.defaults(), metrics, "unreadable")) {
      RecordingLink link = new RecordingLink("reader");
      Session reader = reading.open(link, Role.CLIENT);
      for (int i = 0; i < 30; i++) { // more than the strikes that close an abusive client
        reading.receive(reader, get("down" + i, "x"));
        JsonNode err = link.await(replyTo("down" + i));
        assertTrue(err.path("err").asText().startsWith("Storage failed"), err.toString());
      }
      assertEquals(null, link.disconnected());
      assertFalse(reader.ended());
      assertEquals(30.0, metrics.count("soulgraph.errors"));
      reading.close(reader);
    }
  }

  @Test
  void soulgraphPeerOfAnotherNetwork_isRefusedWithErrAndDisconnected() throws Exception {
    Conn stranger = connect("stranger", Role.GUN_RELAY);
    stranger.say(soulgraphHello("nethi", "elsewhere"));
    JsonNode err = stranger.await(replyTo("nethi"));
    assertTrue(err.path("err").asText().contains("elsewhere"), err.toString());
    assertEquals(Disconnect.ABUSE, stranger.link().disconnected());
    assertTrue(stranger.session().ended());
    close(stranger);
  }

  @Test
  void peerWhoseLiveChangesTravelElsewhere_isNotFlooded() throws Exception {
    String soul = soul();
    Conn gossip = connect(new RecordingLink("gossip", true), Role.SOULGRAPH_PEER);
    Conn flooded = connect("flooded", Role.SOULGRAPH_PEER);
    Conn client = connect("writer-of-gossip", Role.CLIENT);
    client.say(put("gput", soul, "k", "\"v\""));
    client.await(replyTo("gput"));
    flooded.await(pushOf(soul));
    assertEquals(List.of(), gossip.matching(pushOf(soul)));
    close(gossip, flooded, client);
  }

  @Test
  void answerFromPeer_isRoutedOnlyToAsker_once_andStored() throws Exception {
    String soul = soul();
    Conn asker = connect("asker", Role.CLIENT);
    Conn holder = connect("holder", Role.CLIENT);
    Conn bystander = connect("bystander", Role.CLIENT);
    asker.say(get("aget", soul));
    holder.await(m -> "aget".equals(m.path("#").asText()));
    String answer =
        put("hans", soul, "k", "\"held\"")
            .replace("{\"#\":\"hans\",", "{\"#\":\"hans\",\"@\":\"aget\",");
    holder.say(answer);
    asker.await(m -> "aget".equals(m.path("@").asText()) && m.has("put"));
    assertEquals(List.of(), bystander.matching(replyTo("aget")));
    assertEquals(List.of(), holder.matching(replyTo("hans")), "no ack for answers");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.field(soul, "k").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("\"held\"", store.field(soul, "k").orElseThrow().value().json());
    // a later change reaches the asker (it is subscribed), the answer itself did not come twice
    asker.say(put("later", soul, "z", "1"));
    asker.await(replyTo("later"));
    Conn watcher = connect("watcher", Role.CLIENT);
    watcher.say(get("wget", soul));
    watcher.await(replyTo("wget"));
    holder.say(put("again", soul, "y", "2"));
    watcher.await(pushOf(soul));
    assertEquals(List.of(), asker.matching(m -> pushOf(soul).test(m) && m.path("put")
        .path(soul).has("k")), "the asker got the answer once, as the reply");
    close(asker, holder, bystander, watcher);
  }

  @Test
  void invalidGraph_foundByCodecOrByStore_isOneErrAndOneMetric() throws Exception {
    Conn writer = connect("invalid-writer", Role.CLIENT);
    double before = invalidGraphs();
    String soul = soul();
    writer.say("{\"#\":\"shape\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul
        + "\",\">\":{\"k\":\"later\"}},\"k\":1}}}");
    writer.say(put("emptylink", soul, "l", "{\"#\":\"\"}"));
    assertTrue(writer.await(replyTo("shape")).path("err").isTextual());
    assertTrue(writer.await(replyTo("emptylink")).path("err").isTextual());
    assertEquals(before + 2, invalidGraphs());
    assertFalse(METRICS.scrape().contains("outcome=\"invalid\""));
    close(writer);
  }

  private static double invalidGraphs() {
    return METRICS.scrape().lines()
        .filter(line -> line.startsWith("soulgraph_errors_total{kind=\"invalid-graph\"}"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void receive_afterAbuse_endsTheSession_andHandlesNothing() throws Exception {
    Conn evil = connect("evil", Role.CLIENT);
    for (int i = 0; i < GunLimits.defaults().maxStrikes(); i++) {
      evil.say("{\"#\":\"bad" + i + "\",\"get\":5}");
    }
    assertEquals(Disconnect.ABUSE, evil.link().disconnected());
    evil.say(get("late", "x"));
    assertFalse(evil.matching(replyTo("late")).size() > 0);
    close(evil);
  }

  @Test
  void slowReader_isDisconnectedByTheCore() throws Exception {
    Link neverDone =
        new Link() {
          volatile Disconnect reason;

          @Override
          public String describe() {
            return "slow";
          }

          @Override
          public void write(String frame, Runnable written) {}

          @Override
          public void disconnect(Disconnect why, String text) {
            reason = why;
          }

          @Override
          public String toString() {
            return String.valueOf(reason);
          }
        };
    Session slow = core.open(neverDone, Role.CLIENT);
    for (int i = 0; i <= GunLimits.defaults().maxOutboundFrames() && !slow.ended(); i++) {
      core.heartbeat(0, 1);
    }
    assertTrue(slow.ended());
    assertEquals("SLOW_READER", neverDone.toString());
    core.close(slow);
  }

  @Test
  void heartbeatSlices_giveEverySessionOneHeartbeatPerRound_spreadOverTheRound() {
    int sessions = 40;
    int slices = 20;
    Map<Session, AtomicInteger> beats = new HashMap<>();
    int mostInOneSlice = 0;
    for (int i = 0; i < sessions; i++) {
      AtomicInteger count = new AtomicInteger();
      Link counting = new Link() {
        @Override
        public String describe() {
          return "beat";
        }

        @Override
        public void write(String frame, Runnable written) {
          if (frame.equals("[]")) {
            count.incrementAndGet();
          }
          written.run();
        }

        @Override
        public void disconnect(Disconnect why, String text) {}
      };
      beats.put(core.open(counting, Role.CLIENT), count);
    }
    for (int slice = 0; slice < slices; slice++) {
      int before = beats.values().stream().mapToInt(AtomicInteger::get).sum();
      core.heartbeat(slice, slices);
      int after = beats.values().stream().mapToInt(AtomicInteger::get).sum();
      mostInOneSlice = Math.max(mostInOneSlice, after - before);
    }
    beats.forEach((session, count) -> assertEquals(1, count.get(), session + " heartbeats"));
    assertTrue(mostInOneSlice < sessions, "the heartbeats are spread, not one burst");
    beats.keySet().forEach(core::close);
  }

  @Test
  void open_relayPeer_isAskedForEverySubscribedSoul() throws Exception {
    String soul = soul();
    Conn client = connect("subscriber", Role.CLIENT);
    client.say(get("csub", soul));
    Conn relay = connect("late-relay", Role.GUN_RELAY);
    JsonNode get = relay.await(m -> soul.equals(m.path("get").path("#").asText()));
    long s = System.currentTimeMillis() - 1000;
    String answer =
        "{\"#\":\"rans\",\"@\":\"" + get.path("#").asText() + "\",\"put\":{\"" + soul
            + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"k\":" + s + "}},\"k\":\"remote\"}}}";
    relay.say(answer);
    assertEquals("remote", client.await(pushOf(soul)).path("put").path(soul).path("k").asText());
    close(client, relay);
  }

  @Test
  void publisher_getsEachCommittedChangeOnce_withItsOrigin_untilClosed() throws Exception {
    LinkedBlockingQueue<CommittedChange> published = new LinkedBlockingQueue<>();
    Conn writer = connect("published-writer", Role.CLIENT);
    String soul = soul();
    try (AutoCloseable registration = core.addPublisher(published::add)) {
      writer.say(put("pub", soul, "k", "\"v\""));
      CommittedChange change = published.poll(10, TimeUnit.SECONDS);
      while (change != null && !change.graph().nodes().containsKey(soul)) {
        change = published.poll(10, TimeUnit.SECONDS);
      }
      assertNotNull(change);
      assertEquals(writer.session(), change.origin());
      assertTrue(change.putMessage().contains("\"" + soul + "\""), change.putMessage());
    }
    writer.await(replyTo("pub"));
    published.clear();
    writer.say(put("unpub", soul(), "k", "\"v\""));
    writer.await(replyTo("unpub"));
    Thread.sleep(100);
    assertEquals(List.of(), List.copyOf(published));
    close(writer);
  }

  @Test
  void localSession_writesReachSubscribers() throws Exception {
    String soul = soul();
    Conn reader = connect("local-reader", Role.CLIENT);
    reader.say(get("lsub", soul));
    reader.await(replyTo("lsub"));
    Session local = core.localSession("java-api");
    core.receive(local, put("lput", soul, "k", "\"local\""));
    assertEquals("local", reader.await(pushOf(soul)).path("put").path(soul).path("k").asText());
    close(reader);
  }

  /**
   * A relay of another network learns it only from the handshake, so the handshake must be the
   * first frame a peer gets: a change fanned out to a peer as it connects would otherwise arrive
   * before it and be taken as a client's put.
   */
  @Test
  void theHandshake_isThePeersFirstFrame_whileChangesAreFannedOut() throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      Session local = core.localSession("racing-writer");
      int n = 0;
      while (writing.get()) {
        core.receive(local, put("race" + n++, soul(), "k", "\"v\""));
      }
    });
    writer.start();
    try {
      for (int i = 0; i < 300; i++) {
        Conn peer = connect("racing-peer" + i, Role.GUN_RELAY);
        peer.await(message -> true);
        JsonNode first = peer.matching(message -> true).get(0);
        close(peer);
        assertEquals("?", first.path("dam").asText(), "first frame to a peer: " + first);
      }
    } finally {
      writing.set(false);
      writer.join(10_000);
    }
  }
}
