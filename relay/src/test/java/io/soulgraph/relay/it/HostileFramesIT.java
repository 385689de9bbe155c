package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.gun.GunFrames;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input hurts only its sender: a corpus of hostile frames (including the two that crash GunDB's
 * 0.2020.1241 relay), oversized and deep frames, floods; afterwards a normal client is served and
 * acked data is intact. {@link #generatedCorpus_whileAGunClientWorks_everyOffenceAnswered} sends
 * a generated corpus ({@link HostileCorpus}; {@code relay.hostileFrames} frames: 1,000 in the
 * normal build, 10,000 with {@code -Pextensive}) while a real {@code gun} client keeps working.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
final class HostileFramesIT {

  private static final int MAX_FRAME = 64 * 1024;
  private static Relay relay;

  @BeforeAll
  static void startRelay() {
    GunLimits limits =
        new GunLimits(MAX_FRAME, 32, 100, 200, 50, 10_000, 60, 100, 1000, Duration.ofSeconds(9));
    relay = Relay.start(RelayConfig.ephemeral().withLimits(limits));
  }

  @AfterAll
  static void stopRelay() {
    relay.close();
  }

  private static final List<String> CORPUS =
      List.of(
          "[{\"#\":\"x\"",
          "{",
          "not json at all",
          "42",
          "\"a string\"",
          "null",
          "[1,2,3]",
          "[[]]",
          "{}",
          "[]",
          "{\"#\":5,\"get\":{\"#\":\"a\"}}",
          "{\"#\":\"h1\",\"get\":\"a\"}",
          "{\"#\":\"h2\",\"get\":{\"#\":7}}",
          "{\"#\":\"h3\",\"get\":{}}",
          "{\"#\":\"h4\",\"get\":{\"#\":\"a\",\".\":[1]}}",
          "{\"#\":\"h5\",\"put\":\"x\"}",
          "{\"#\":\"h6\",\"put\":[1]}",
          "{\"#\":\"h7\",\"put\":{\"a\":{\"_\":null}}}",
          "{\"#\":\"h8\",\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"k\":\"NaN\"}},\"k\":1}}}",
          "{\"#\":\"h9\",\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"k\":1}},\"k\":{\"#\":5}}}}",
          "{\"#\":\"h10\",\"dam\":\"mob\",\"mob\":99}",
          "{\"#\":\"h11\",\"dam\":\"evil\"}",
          "{\"#\":\"h12\",\"@\":\"nobody-asked\",\"put\":{}}",
          "{\"#\":\"h13\",\"@\":{\"x\":1}}",
          "{\"#\":\"h14\",\"put\":{\"__proto__\":"
              + "{\"_\":{\"#\":\"__proto__\",\">\":{\"k\":1}},\"k\":1}}}",
          "{\"#\":\"h15\",\"get\":{\"#\":{\"*\":\"\"}}}",
          "\uFEFF{\"#\":\"h16\"}",
          "{\"#\":\"h17\",\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"k\":1e400}},\"k\":1}}}");

  @Test
  void corpus_thenNormalClient_isServed_andAckedDataSurvives() throws Exception {
    try (WireClient good = new WireClient(relay.gunUrl());
        WireClient evil = new WireClient(relay.gunUrl())) {
      long s = System.currentTimeMillis() - 1000;
      good.send(
          "{\"#\":\"keep1\",\"put\":{\"keep\":{\"_\":{\"#\":\"keep\",\">\":{\"v\":"
              + s
              + "}},\"v\":\"safe\"}}}");
      assertEquals(1, good.replyTo("keep1").path("ok").asInt());
      for (String frame : CORPUS) {
        evil.send(frame);
      }
      evil.send(
          "{\"#\":\"bigput\",\"put\":{\"big\":{\"_\":{\"#\":\"big\",\">\":{\"k\":"
              + s
              + "}},\"k\":\"v\"}}}");
      assertEquals(1, evil.replyTo("bigput").path("ok").asInt(), "a soul named big is just a soul");
      assertTrue(evil.replyTo("h11").path("err").isTextual());
      assertTrue(evil.replyTo("h2").path("err").isTextual());
      assertEquals("safe", GunWireIT.readField(good, "keep", "v").asText());
      try (WireClient fresh = new WireClient(relay.gunUrl())) {
        assertEquals("v", GunWireIT.readField(fresh, "big", "k").asText());
        assertEquals("safe", GunWireIT.readField(fresh, "keep", "v").asText());
      }
    }
  }

  /* --- the generated corpus --- */

  private static final long CORPUS_SEED = 17;
  /** One honest round: two gun client processes (Node start-up) on a loaded machine. */
  private static final Duration HONEST_LATENCY = Duration.ofSeconds(45);

  @Test
  void generatedCorpus_whileAGunClientWorks_everyOffenceAnswered() throws Exception {
    int count = Integer.getInteger("relay.hostileFrames", 1000);
    GunLimits limits = new GunLimits(MAX_FRAME, 32, 100, 100_000, 500, 10_000, 25, 100, 1000,
        Duration.ofSeconds(9));
    List<HostileCorpus.Frame> corpus = new HostileCorpus(CORPUS_SEED, 32, 100).frames(count);
    try (Relay target = Relay.start(RelayConfig.ephemeral().withLimits(limits));
        HonestClient honest = new HonestClient(target)) {
      honest.start();
      CorpusRun run = new CorpusRun(target);
      for (int i = 0; i < corpus.size(); i++) {
        run.send(i, corpus.get(i));
      }
      run.close();
      honest.stop();
      assertTrue(run.unanswered.isEmpty(),
          "offences neither answered with err nor closed (seed " + CORPUS_SEED + "): "
              + run.unanswered);
      assertTrue(honest.rounds() >= 1, "the honest client completed no round");
      assertTrue(honest.slowest().compareTo(HONEST_LATENCY) < 0,
          "honest client's slowest round: " + honest.slowest());
      assertEquals(List.of(), honest.failures());
      try (WireClient fresh = new WireClient(target.gunUrl())) {
        for (String soul : honest.acked()) {
          assertEquals("honest", GunWireIT.readField(fresh, soul, "v").asText(), soul);
        }
      }
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + "/health"))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
      System.out.printf("Hostile corpus: %d frames (%d offences), %d connections closed for"
              + " abuse, honest client %d rounds, slowest %d ms%n", corpus.size(),
          corpus.stream().filter(HostileCorpus.Frame::offence).count(), run.closes,
          honest.rounds(), honest.slowest().toMillis());
    }
  }

  /**
   * Sends corpus frames on one connection at a time, each followed by a sentinel get: by the
   * sentinel's answer, an offence must have been answered with err (or the connection closed:
   * then a new one takes over).
   */
  private static final class CorpusRun implements AutoCloseable {
    private final Relay target;
    private final List<String> unanswered = new java.util.ArrayList<>();
    private WireClient connection;
    private int closes;

    CorpusRun(Relay target) throws Exception {
      this.target = target;
      this.connection = new WireClient(target.gunUrl());
      connection.send(GunFrames.put("sentinel-put", "corpus/sentinel", 1, "v", "1"));
      connection.replyTo("sentinel-put");
    }

    void send(int index, HostileCorpus.Frame frame) throws Exception {
      if (!connection.isOpen()) {
        connection.close();
        connection = new WireClient(target.gunUrl());
        closes++;
      }
      int errsBefore = connection.count(m -> m.has("err"));
      String sentinel = "sentinel" + index;
      try {
        connection.send(frame.text());
        connection.send("{\"#\":\"" + sentinel + "\",\"get\":{\"#\":\"corpus/sentinel\"}}");
      } catch (java.io.IOException | RuntimeException closed) {
        // closed for abuse while sending (Tyrus fails the send in several ways): disconnected
        assertTrue(!connection.isOpen() || connection.awaitClose(Duration.ofSeconds(10)) != null,
            "a send failed on an open connection: " + closed);
        return;
      }
      boolean answered = connection.awaitOrClose(
          m -> sentinel.equals(m.path("@").asText(null)), Duration.ofSeconds(30));
      boolean erred = connection.count(m -> m.has("err")) > errsBefore;
      if (frame.offence() && answered && !erred && connection.isOpen()) {
        unanswered.add(index + " " + frame.kind() + ": "
            + frame.text().substring(0, Math.min(200, frame.text().length())));
      }
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  /**
   * An honest client working during the corpus: the real gun npm client (a put, then a read of
   * it, per round) when Node runs, else a raw one. Records each round's latency and acked souls.
   */
  private static final class HonestClient implements AutoCloseable {
    private final Relay target;
    private final List<String> acked = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong slowestNanos =
        new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    HonestClient(Relay target) {
      this.target = target;
    }

    void start() {
      thread = new Thread(this::loop, "honest-client");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      boolean node = !Boolean.getBoolean("relay.skipNode");
      for (int round = 0; running; round++) {
        String soul = "honest/" + round;
        long started = System.nanoTime();
        try {
          if (node) {
            String url = NodeScripts.httpUrl(target.gunUrl());
            JsonNode ack = NodeScripts.gun(url, "put", soul, "{\"v\":\"honest\"}");
            if (!ack.path("ack").path("ok").asBoolean()) {
              failures.add(soul + " put: " + ack);
              continue;
            }
            acked.add(soul);
            JsonNode read = NodeScripts.gun(url, "once", soul, "v");
            if (!"honest".equals(read.path("value").asText())) {
              failures.add(soul + " read: " + read);
            }
          } else {
            try (WireClient client = new WireClient(target.gunUrl())) {
              client.send(GunFrames.put(soul, soul, System.currentTimeMillis() - 1000, "v",
                  "\"honest\""));
              if (client.replyTo(soul).path("ok").asInt() != 1) {
                failures.add(soul + " not acked");
                continue;
              }
              acked.add(soul);
            }
          }
        } catch (Exception | AssertionError e) {
          failures.add(soul + ": " + e);
        }
        slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
      }
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(Duration.ofSeconds(90).toMillis());
    }

    int rounds() {
      return acked.size();
    }

    Duration slowest() {
      return Duration.ofNanos(slowestNanos.get());
    }

    List<String> acked() {
      return acked;
    }

    List<String> failures() {
      return failures;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
    }
  }

  @Test
  void hugeFrame_closesOnlyThatConnection_withMessageTooBig() throws Exception {
    try (WireClient bystander = new WireClient(relay.gunUrl());
        WireClient evil = new WireClient(relay.gunUrl())) {
      evil.sendExpectingClose("{\"#\":\"huge\",\"x\":\"" + "a".repeat(MAX_FRAME * 2) + "\"}");
      CloseReason reason = evil.awaitClose(Duration.ofSeconds(10));
      assertEquals(1009, reason.getCloseCode().getCode());
      assertTrue(GunWireIT.readField(bystander, "nothing/here", "x").isMissingNode());
    }
  }

  @Test
  void deepNesting_isAnsweredWithErr_notParsedToTheBottom() throws Exception {
    try (WireClient evil = new WireClient(relay.gunUrl())) {
      evil.send("{\"#\":\"deep\",\"put\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001));
      JsonNode err =
          evil.await(m -> m.path("err").asText().contains("nesting"), Duration.ofSeconds(5));
      assertEquals("!", err.path("dam").asText());
      assertTrue(GunWireIT.readField(evil, "nothing/here", "x").isMissingNode());
    }
  }

  @Test
  void repeatedAbuse_closesTheOffenderWithPolicyViolation_othersKeepWorking() throws Exception {
    try (WireClient bystander = new WireClient(relay.gunUrl());
        WireClient evil = new WireClient(relay.gunUrl())) {
      // Each junk frame waits for its err: a client still writing when the relay closes has its
      // socket reset under it (unread bytes), and sees 1006 instead of the close frame's 1008.
      for (int i = 0; i < 100 && evil.isOpen(); i++) {
        evil.sendExpectingClose("{\"#\":\"junk" + i + "\",\"get\":7}");
        evil.awaitOrClose(WireClient.repliesTo("junk" + i), Duration.ofSeconds(10));
      }
      CloseReason reason = evil.awaitClose(Duration.ofSeconds(10));
      assertEquals(1008, reason.getCloseCode().getCode());
      assertTrue(GunWireIT.readField(bystander, "nothing/here", "x").isMissingNode());
    }
  }

  @Test
  void getFlood_overRate_isAnsweredWithErr_andOthersAreServed() throws Exception {
    try (WireClient bystander = new WireClient(relay.gunUrl());
        WireClient flooder = new WireClient(relay.gunUrl())) {
      StringBuilder frame = new StringBuilder("[");
      for (int i = 0; i < 100; i++) {
        frame
            .append(i == 0 ? "" : ",")
            .append("{\"#\":\"fl")
            .append(i)
            .append("\",\"get\":{\"#\":\"f\"}}");
      }
      for (int round = 0; round < 3 && flooder.isOpen(); round++) {
        flooder.send(frame.append(']').toString());
        frame.setLength(frame.length() - 1);
      }
      flooder.await(m -> m.path("err").asText().contains("per second"), Duration.ofSeconds(10));
      assertTrue(GunWireIT.readField(bystander, "nothing/here", "x").isMissingNode());
    }
  }
}
