package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.ham.JsJson;
import io.soulgraph.relay.gun.GunFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's reliability test: two relay jars on berkeleyje, linked only by libp2p
 * ({@code --bootstrap}), a writer on each putting over the Gun wire; relay B is killed with
 * kill -9 mid-load while A's writer goes on, then restarted on its data directory. B catches up
 * by anti-entropy (counted in its {@code /metrics}) and in the end every acknowledged write is
 * read back from both relays, and both hold the same state for every soul any writer tried,
 * their HAM states included.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class FederatedKillIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String SHARED = "kill/shared";
  private static final Pattern CATCH_UP_RECEIVED =
      Pattern.compile("(?m)^soulgraph_catchup_updates_received_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

  @TempDir Path temp;

  private static RelayJarProcess relay(Path dataDir, String... bootstrap) throws Exception {
    List<String> options = new ArrayList<>(List.of("--storage", "berkeleyje", "--data-dir",
        dataDir.toString(), "--network", "killtest"));
    for (String address : bootstrap) {
      options.addAll(List.of("--bootstrap", address));
    }
    return new RelayJarProcess("-Xmx384m", true, options, Duration.ofSeconds(90));
  }

  @Test
  void killMinus9_ofOneFederatedRelayUnderLoad_afterRestartBothHoldEveryAckedWrite()
      throws Exception {
    Path dirA = temp.resolve("a");
    Path dirB = temp.resolve("b");
    try (RelayJarProcess a = relay(dirA)) {
      String addressOfA = loopbackAddress(a);
      Writer onA;
      Writer onB;
      int ackedOnABeforeKill;
      try (RelayJarProcess b = relay(dirB, addressOfA)) {
        await("B's sync stream with A", () -> info(b).path("libp2p").path("syncStreams").asInt() > 0);
        onA = Writer.start(a.gunUrl(), "a");
        onB = Writer.start(b.gunUrl(), "b");
        await("100 acked puts on each relay", () -> onA.ackedCount() >= 100
            && onB.ackedCount() >= 100);
        b.killDashNine();
        ackedOnABeforeKill = onA.ackedCount();
        onB.stop();
      }
      assertTrue(onB.connectionLost(), "B's writer should have lost its connection to the kill");
      Thread.sleep(1500); // A goes on writing while B is down
      try (RelayJarProcess b = relay(dirB, addressOfA)) {
        int ackedOnAWhileBDown = onA.ackedCount() - ackedOnABeforeKill;
        assertTrue(ackedOnAWhileBDown > 0, "A acked nothing while B was down");
        Writer onBAgain = Writer.start(b.gunUrl(), "b2");
        await("B writing again", () -> onBAgain.ackedCount() >= 100);
        onA.stop();
        onBAgain.stop();
        // only anti-entropy can bring B what A committed while B was down (it missed the gossip)
        await("B's catch-up of A's writes made while it was down",
            () -> catchUpReceived(b) >= ackedOnAWhileBDown);

        Map<String, String> acked = new LinkedHashMap<>();
        Set<String> tried = new TreeSet<>(Set.of(SHARED));
        for (Writer w : List.of(onA, onB, onBAgain)) {
          acked.putAll(w.acked());
          tried.addAll(w.tried());
        }
        Map<String, JsonNode> atA = awaitSameState(a, b, tried);
        for (Map.Entry<String, String> write : acked.entrySet()) {
          assertEquals(write.getValue(), atA.get(write.getKey()).path("v").asText(null),
              "acked write to " + write.getKey() + " lost");
        }
        assertTrue(atA.get(SHARED).size() > 1, "the shared soul has fields: " + atA.get(SHARED));
      }
    }
  }

  /**
   * Reads every soul of {@code souls} from both relays until they agree on every one (value and
   * HAM state of every field, or both lacking it); returns A's.
   */
  private static Map<String, JsonNode> awaitSameState(RelayJarProcess a, RelayJarProcess b,
      Set<String> souls) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Map<String, JsonNode> atA = readAll(a.gunUrl(), souls);
      Map<String, JsonNode> atB = readAll(b.gunUrl(), souls);
      List<String> differ = souls.stream().filter(s -> !atA.get(s).equals(atB.get(s))).toList();
      if (differ.isEmpty()) {
        return atA;
      }
      if (System.nanoTime() > deadline) {
        String first = differ.get(0);
        fail(differ.size() + " of " + souls.size() + " souls differ after " + PATIENCE
            + ", e.g. " + first + ": A " + atA.get(first) + ", B " + atB.get(first));
      }
      Thread.sleep(1000);
    }
  }

  /** Each soul as the relay first answers a get for it (its own store), {@code null} if absent. */
  private static Map<String, JsonNode> readAll(URI relay, Set<String> souls) throws Exception {
    Map<String, JsonNode> nodes = new LinkedHashMap<>();
    List<String> all = List.copyOf(souls);
    String round = UUID.randomUUID().toString(); // relays drop a message id seen in the last 9 s
    try (WireClient reader = new WireClient(relay)) {
      for (int from = 0; from < all.size(); from += 200) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + 200));
        for (String soul : chunk) {
          reader.send("{\"#\":" + JsJson.quote(round + soul) + ",\"get\":{\"#\":"
              + JsJson.quote(soul) + "}}");
        }
        for (String soul : chunk) {
          JsonNode reply = reader.await(WireClient.repliesTo(round + soul), PATIENCE);
          nodes.put(soul, reply.path("put").path(soul));
        }
      }
    }
    return nodes;
  }

  private static String loopbackAddress(RelayJarProcess relay) throws Exception {
    for (JsonNode address : info(relay).path("libp2p").path("addresses")) {
      if (address.asText().startsWith("/ip4/127.0.0.1/")) {
        return address.asText();
      }
    }
    return fail("No loopback libp2p address in " + info(relay));
  }

  private static JsonNode info(RelayJarProcess relay) throws Exception {
    return JSON.readTree(get(relay, "/info"));
  }

  private static double catchUpReceived(RelayJarProcess relay) throws Exception {
    Matcher m = CATCH_UP_RECEIVED.matcher(get(relay, "/metrics"));
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static String get(RelayJarProcess relay, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(relay.httpUrl().resolve(path))
        .timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void await(String what, Checked condition) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        fail("Not within " + PATIENCE + ": " + what);
      }
      Thread.sleep(100);
    }
  }

  @FunctionalInterface
  private interface Checked {
    boolean holds() throws Exception;
  }

  /**
   * One Gun-wire writer on its own thread: windows of 20 puts, each a new soul
   * ({@code kill/<name>/<n>}, field {@code v}), every fifth also a field of the shared soul that
   * every writer overwrites; it records what it tried and what was acked, and stops when told,
   * after 3,000 puts, or when its connection is lost.
   */
  private static final class Writer implements Runnable {
    private static final int WINDOW = 20;
    private static final int MAX_PUTS = 3000;

    private final WireClient client;
    private final String name;
    private final Thread thread;
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    private final Set<String> tried = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private volatile boolean connectionLost;

    private Writer(URI relay, String name) throws Exception {
      this.client = new WireClient(relay);
      this.name = name;
      this.thread = new Thread(this, "writer-" + name);
      thread.setDaemon(true);
    }

    static Writer start(URI relay, String name) throws Exception {
      Writer writer = new Writer(relay, name);
      writer.thread.start();
      return writer;
    }

    @Override
    public void run() {
      try {
        for (int n = 0; n < MAX_PUTS && !stopped; n += WINDOW) {
          Map<String, String> window = new LinkedHashMap<>();
          for (int i = n; i < n + WINDOW; i++) {
            String soul = "kill/" + name + "/" + i;
            String value = name + i;
            String id = name + "-" + i;
            tried.add(soul);
            window.put(id, soul + "\n" + value);
            client.send(i % 5 == 0
                ? twoSouls(id, soul, value, "f" + (i % 4))
                : GunFrames.put(id, soul, System.currentTimeMillis(), "v", JsJson.quote(value)));
          }
          for (Map.Entry<String, String> put : window.entrySet()) {
            if (!client.awaitOrClose(WireClient.repliesTo(put.getKey()), PATIENCE)) {
              connectionLost = true;
              return;
            }
            JsonNode reply = client.await(WireClient.repliesTo(put.getKey()), PATIENCE);
            if (reply.path("ok").asInt() == 1) {
              String[] soulAndValue = put.getValue().split("\n");
              acked.put(soulAndValue[0], soulAndValue[1]);
            }
          }
        }
      } catch (java.io.IOException | IllegalStateException lost) {
        connectionLost = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        client.close();
      }
    }

    /** A put of the writer's new soul and of one field of the shared soul, in one message. */
    private String twoSouls(String id, String soul, String value, String sharedField) {
      double state = System.currentTimeMillis();
      String mine = GunFrames.put(id, soul, state, "v", JsJson.quote(value));
      String shared = GunFrames.put(id, SHARED, state, sharedField, JsJson.quote(value));
      // both are {"#":id,"put":{...}}: splice the shared node into the first put's graph
      String sharedNode = shared.substring(shared.indexOf("\"put\":{") + 7, shared.length() - 2);
      return mine.substring(0, mine.length() - 2) + "," + sharedNode + "}}";
    }

    int ackedCount() {
      return acked.size();
    }

    Map<String, String> acked() {
      return Map.copyOf(acked);
    }

    Set<String> tried() {
      return Set.copyOf(tried);
    }

    boolean connectionLost() {
      return connectionLost;
    }

    void stop() throws InterruptedException {
      stopped = true;
      thread.join(PATIENCE.toMillis());
      if (thread.isAlive()) {
        client.close();
        thread.join(10_000);
      }
    }
  }
}
