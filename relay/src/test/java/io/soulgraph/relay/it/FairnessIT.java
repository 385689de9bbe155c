package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18's scenarios against the relay jar (its own JVM, -Xmx512m, berkeleyje, loopback): many
 * idle connections, one big put, one connection flooding puts, and one that never reads; an honest
 * client is served throughout, and every put acked to anyone reads back. Small in the normal build
 * (hundreds of connections, a 2,000-soul put); {@code -Pextensive} runs the sizes (10,000
 * connections, 16,000 fields and 16,000 souls): {@code relay.fairnessScale=full}. Nothing here is
 * timed: latencies are measured by {@code run-fairness-bench.sh} and {@code run-idle-bench.sh}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
final class FairnessIT {

  private static final boolean FULL = "full".equals(System.getProperty("relay.fairnessScale"));
  private static final int IDLE = FULL ? 10_000 : 300;
  private static final int BIG_SOULS = FULL ? 16_000 : 2_000;
  private static final int BIG_FIELDS = FULL ? 16_000 : 600;
  private static final int FLOOD = FULL ? 20_000 : 2_000;
  /** A client's share of the store, in fields (PutLane.WHOLE_FIELDS). */
  private static final int CLIENT_SHARE = 64;
  private static final Duration LONG = Duration.ofSeconds(FULL ? 300 : 120);

  private static RelayJarProcess relay;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    relay = new RelayJarProcess(List.of("--data-dir", java.nio.file.Files.createTempDirectory(
        "fairness").toString(), "--max-connections", Integer.toString(IDLE + 100),
        "--max-put-bytes", "8388608", "--max-outbound-bytes", Long.toString(2L << 20)),
        Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void idleConnections_areHeld_whileAnHonestClientIsServed() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try (WireClient honest = new WireClient(relay.gunUrl())) {
      List<String[]> acked = new ArrayList<>();
      honestPuts(honest, "idle-before", 20, acked);
      for (int i = 0; i < IDLE; i++) {
        idle.add(RawWebSocket.upgraded(relay.gunUrl(), 1 << 16));
      }
      assertEquals((double) IDLE + 1, gauge("soulgraph_sessions{role=\"client\"}"),
          "the relay holds every idle connection");
      honestPuts(honest, "idle-during", 20, acked);
      readBack(honest, acked);
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  @Test
  void bigPuts_ofSoulsAndOfFields_areAcked_andAnHonestClientsPutsGoBetweenTheirPieces()
      throws Exception {
    bigPutBesideHonestClient("souls", bigSouls("big-souls", BIG_SOULS));
    bigPutBesideHonestClient("fields", bigNode("big-node", BIG_FIELDS));
  }

  private void bigPutBesideHonestClient(String name, String graph) throws Exception {
    try (WireClient big = new WireClient(relay.gunUrl());
        WireClient honest = new WireClient(relay.gunUrl())) {
      big.send("{\"#\":\"" + name + "\",\"put\":" + graph + "}");
      List<String[]> acked = new ArrayList<>();
      int beforeBigAck = 0;
      for (int i = 0; i < 20; i++) {
        honestPuts(honest, name + "-honest-" + i, 1, acked);
        if (big.count(WireClient.repliesTo(name)) == 0) {
          beforeBigAck++;
        }
      }
      JsonNode ack = big.await(WireClient.repliesTo(name), LONG);
      assertEquals(1, ack.path("ok").asInt(), ack.toString());
      assertTrue(beforeBigAck > 0, "some honest put was acked while the big put was in flight");
      readBack(honest, acked);
      JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(graph);
      List<String[]> bigFields = new ArrayList<>();
      sent.fieldNames().forEachRemaining(soul -> sent.path(soul).fieldNames().forEachRemaining(
          field -> {
            if (!field.equals("_")) {
              bigFields.add(new String[] {soul, field, sent.path(soul).path(field).toString()});
            }
          }));
      readBack(honest, bigFields);
    }
  }

  @Test
  void nodeOf50000Fields_isRefusedAtOnceWithAClearErr_andOthersAreServed() throws Exception {
    try (WireClient big = new WireClient(relay.gunUrl());
        WireClient honest = new WireClient(relay.gunUrl())) {
      String graph = bigNode("wide50k", 50_000);
      assertTrue(graph.length() > 1_500_000, "a frame of " + graph.length());
      big.send("{\"#\":\"wide50k\",\"put\":" + graph + "}");
      JsonNode err = big.await(WireClient.repliesTo("wide50k"), LONG);
      assertTrue(err.path("err").asText().contains("at most 20000 fields but received 50000"),
          err.toString());
      List<String[]> acked = new ArrayList<>();
      honestPuts(honest, "after-wide50k", 5, acked);
      readBack(honest, acked);
      honest.send("{\"#\":\"w0\",\"get\":{\"#\":\"wide50k\",\".\":\"f0\"}}");
      assertTrue(honest.await(WireClient.repliesTo("w0"), LONG).path("put").path("wide50k")
          .path("f0").isMissingNode(), "nothing of the refused put was stored");
    }
  }

  @Test
  void floodingConnection_waitsInItsLane_whileAnHonestClientIsServed() throws Exception {
    try (WireClient flood = new WireClient(relay.gunUrl());
        WireClient honest = new WireClient(relay.gunUrl())) {
      long state = System.currentTimeMillis() - 1000;
      java.util.concurrent.CompletableFuture<Void> flooding =
          java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
              for (int i = 0; i < FLOOD; i++) {
                flood.send(putFrame("flood" + i, "flood/" + i, state, "v", Integer.toString(i)));
                if (i % 1_000 == 999) {
                  Thread.sleep(250); // within the message rate: at its limit, not over it
                }
              }
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          });
      flood.await(WireClient.repliesTo("flood0"), LONG);
      List<String[]> acked = new ArrayList<>();
      double mostQueued = 0;
      for (int round = 0; !flooding.isDone() || round < 5; round++) {
        honestPuts(honest, "flood-honest-" + round, 1, acked);
        mostQueued = Math.max(mostQueued, metric("soulgraph_store_queued_writes"));
      }
      flooding.get(LONG.toSeconds(), TimeUnit.SECONDS);
      List<String[]> floodAcked = new ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        JsonNode reply = flood.await(WireClient.repliesTo("flood" + i), LONG);
        if (reply.path("ok").asInt() == 1) {
          floodAcked.add(new String[] {"flood/" + i, "v", Integer.toString(i)});
        }
      }
      assertTrue(mostQueued <= CLIENT_SHARE + 2, "the flood had at most its share of one-field puts"
          + " in the store's queue, the rest waited in its lane: " + mostQueued);
      readBack(honest, acked);
      readBack(honest, floodAcked);
    }
  }

  @Test
  void connectionThatNeverReads_isCut_whileOthersAreServed() throws Exception {
    try (Socket stalled = RawWebSocket.upgraded(relay.gunUrl(), 4096);
        WireClient writer = new WireClient(relay.gunUrl())) {
      RawWebSocket.sendText(stalled, "{\"#\":\"sub\",\"get\":{\"#\":\"stalled/topic\"}}");
      Thread.sleep(500);
      String big = "\"" + "x".repeat(200_000) + "\"";
      long state = System.currentTimeMillis() - 100_000;
      for (int i = 0; i < 60; i++) { // 12 MB pushed to it: past --max-outbound-bytes and buffers
        writer.send(putFrame("s" + i, "stalled/topic", state + i, "v", big));
        assertEquals(1, writer.replyTo("s" + i).path("ok").asInt(), "the writer is served");
      }
      List<String[]> acked = new ArrayList<>();
      honestPuts(writer, "after-stalled", 5, acked);
      readBack(writer, acked);
      assertTrue(closedByRelay(stalled), "the connection that never read was cut");
    }
  }

  /** Reads (only now) what the relay sent until it closed the socket: true if it did. */
  private static boolean closedByRelay(Socket socket) throws Exception {
    socket.setSoTimeout(30_000);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[1 << 16];
    try {
      while (in.read(buffer) >= 0) {
        // discard: the pushes it never read
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true; // closed with unread data: a reset
    } catch (java.net.SocketTimeoutException open) {
      return false;
    }
  }

  /** Sequential puts, each waiting for its ack; records what was acked. */
  private static void honestPuts(WireClient client, String prefix, int count, List<String[]> acked)
      throws Exception {
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      client.send(putFrame(id, "honest/" + id, System.currentTimeMillis(), "v",
          Integer.toString(i)));
      JsonNode reply = client.await(WireClient.repliesTo(id), LONG);
      assertEquals(1, reply.path("ok").asInt(), reply.toString());
      acked.add(new String[] {"honest/" + id, "v", Integer.toString(i)});
    }
  }

  /** Reads every (soul, field, JSON value) back over the wire, within the message rate. */
  private static void readBack(WireClient client, List<String[]> fields) throws Exception {
    int asked = 0;
    for (String[] field : fields) {
      if (++asked % 1000 == 0) {
        Thread.sleep(300);
      }
      String id = "rb" + System.nanoTime();
      client.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"" + field[0] + "\",\".\":\""
          + field[1] + "\"}}");
      JsonNode reply = client.await(WireClient.repliesTo(id), LONG);
      assertEquals(field[2], reply.path("put").path(field[0]).path(field[1]).toString(),
          "acked " + field[0] + "." + field[1] + " reads back: " + reply);
    }
  }

  private static String putFrame(String id, String soul, long state, String field, String json) {
    return "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul
        + "\",\">\":{\"" + field + "\":" + state + "}},\"" + field + "\":" + json + "}}}";
  }

  private static String bigSouls(String prefix, int count) {
    long state = System.currentTimeMillis() - 1000;
    StringBuilder graph = new StringBuilder("{");
    for (int i = 0; i < count; i++) {
      String soul = prefix + "/" + i;
      graph.append(i == 0 ? "" : ",").append('"').append(soul).append("\":{\"_\":{\"#\":\"")
          .append(soul).append("\",\">\":{\"v\":").append(state).append("}},\"v\":").append(i)
          .append('}');
    }
    return graph.append('}').toString();
  }

  private static String bigNode(String soul, int fields) {
    long state = System.currentTimeMillis() - 1000;
    StringBuilder states = new StringBuilder();
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < fields; i++) {
      states.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(state);
      values.append(",\"f").append(i).append("\":").append(i);
    }
    return "{\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{" + states + "}}" + values
        + "}}";
  }

  /** A meter's value now (the store's queue is read at each scrape). */
  private static double metric(String series) throws Exception {
    URI metrics = URI.create("http://127.0.0.1:" + relay.gunUrl().getPort() + "/metrics");
    String text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + series));
  }

  private static double gauge(String series) throws Exception {
    URI metrics = URI.create("http://127.0.0.1:" + relay.gunUrl().getPort() + "/metrics");
    String text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    Thread.sleep(1_100); // the pressure gauges are a snapshot of at most a second ago
    text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + series));
  }
}
