package io.soulgraph.relay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.glassfish.tyrus.client.ClientManager;

/**
 * A load generator for any GunDB-protocol relay: N writers, each keeping W puts in flight to its
 * own soul, and M subscribers asking for every writer's soul. Reports acked puts/s, ack latency,
 * fan-out deliveries/s and fan-out latency (put sent → pushed to a subscriber).
 *
 * <p>{@code RelayLoad <ws url> <writers> <window> <subscribers> <seconds> [label] [signed]}
 *
 * <p>{@code RelayLoad <ws url> fill <souls> <fields> [label]} puts that many new souls of that many
 * fields each (4 connections, 128 puts in flight each), waits for every ack, and reports the
 * relay's resident set holding them: 3 s after the last ack, and again after
 * {@code -Dbench.rest} more seconds idle (default 120). The souls are {@code mem/<run>/<i>}, run
 * given by {@code -Dbench.run} (or made up). A fill of a run already filled, with a higher
 * {@code -Dbench.state} (default 1), updates every field of those souls instead: a write to souls
 * the relay holds on disk, not all in memory.
 *
 * <p>{@code RelayLoad <ws url> gets <run> <souls> <subscribers> [label]}: every subscriber asks
 * for the first {@code souls} souls a {@code fill} of that run put (a relay restarted on the
 * filled data dir holds them on disk, not in memory), and the time until every get is answered
 * is reported, with how many answers carried the node.
 *
 * <p>The writers' load runs {@code -Dbench.warmup} seconds (default 2) before the measured
 * seconds begin. Each writer keeps its window full (a closed loop, as fast as the relay acks),
 * or, with {@code -Dbench.rate=<puts per second per writer>}, sends on that schedule and never
 * more than its window unacked: a paced load, whose latencies are the path's rather than the
 * queue's of a relay run flat out.
 *
 * <p>With {@code -Dbench.pid=<relay's pid>} it also reads the relay's CPU (user + system, from
 * {@code /proc/PID/stat}, over the measured seconds, per acked put) and its peak RSS (VmHWM).
 *
 * <p>{@link #run(URI, URI, int, int, int, int, String)} may put the subscribers on another relay
 * than the writers (cross-relay fan-out through federation).
 *
 * <p>With {@code signed}, every put goes to the user space of one P-256 key made for the run
 * ({@code ~<pub>/bench/…}) and every value is a SEA envelope signed as gun's {@code sea.js} signs
 * it, so the relay must verify each field; the generator signs each put just before sending it.
 */
public final class RelayLoad {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Each writer cycles through this many souls (and a few fields in each): GunDB's relay acks about
   * one put per soul per 250 ms RAD batch, so writing one soul over and over would starve its acks;
   * small nodes keep the stores' per-node work out of the picture. 4 writers make the issue's
   * 1,000 souls, and every subscriber asks for all of them before any is written (cold gets).
   */
  private static final int SOULS = 250;

  private static final int FIELDS = 8;

  private final ClientManager client = ClientManager.createClient();
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final LatencyLog ackLatency = new LatencyLog();
  private final LatencyLog fanoutLatency = new LatencyLog();
  private final AtomicBoolean measuring = new AtomicBoolean();
  private final Set<String> pendingGets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger answeredGets = new AtomicInteger();
  /** Answered gets whose answer carried the node. */
  private final AtomicInteger foundGets = new AtomicInteger();
  /**
   * Load before the measured seconds (-Dbench.warmup, seconds; default 2): a JVM relay spends
   * its first half minute under load compiling (the C2 compiler took half a core for 30 s in
   * docs/benchmarks.md), so a longer warm-up measures the relay as it runs for days.
   */
  private static final long WARMUP_MILLIS =
      Math.round(Double.parseDouble(System.getProperty("bench.warmup", "2")) * 1000);

  /**
   * How long a filled relay is left idle before its resident set is read again
   * (-Dbench.rest, seconds; default 120): a JVM gives heap back to the system only after a
   * collection while idle, as GunDB's V8 does too, so "holding" the data is measured both at once
   * and at rest.
   */
  private static final long REST_MILLIS =
      Math.round(Double.parseDouble(System.getProperty("bench.rest", "120")) * 1000);

  /**
   * Whether, once the writers have stopped, the subscribers ask for as many souls never seen again
   * (-Dbench.warmgets=true): the setup's gets are the first thing a freshly started relay serves,
   * so they time a cold JVM as much as souls the relay lacks; these time the lacking souls alone,
   * on every target's warmed process (the load generator's too).
   */
  private static final boolean WARM_GETS = Boolean.getBoolean("bench.warmgets");

  /** The HAM state of every field a fill puts (-Dbench.state; see the class comment). */
  private static final long FILL_STATE = Long.getLong("bench.state", 1);

  /** Puts per second per writer (-Dbench.rate); 0 keeps every writer's window full. */
  private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "0"));

  /** The relay's process id, if given (-Dbench.pid): its CPU and peak RSS are read from /proc. */
  private final long serverPid = Long.getLong("bench.pid", -1);
  private final SeaSigner signer;

  RelayLoad(boolean signed) {
    this.signer = signed ? new SeaSigner() : null;
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    if (args[0].equals("summary")) {
      summary(java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[1])));
      return;
    }
    if (args[1].equals("gets")) {
      new RelayLoad(false).gets(url, args[2], Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), args.length > 5 ? args[5] : url.toString());
      System.exit(0);
    }
    if (args[1].equals("fill")) {
      new RelayLoad(false).fill(url, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          args.length > 4 ? args[4] : url.toString());
      System.exit(0);
    }
    int writers = Integer.parseInt(args[1]);
    int window = Integer.parseInt(args[2]);
    int subscribers = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    String label = args.length > 5 ? args[5] : url.toString();
    boolean signed = args.length > 6 && args[6].equals("signed");
    new RelayLoad(signed).run(url, writers, window, subscribers, seconds, label);
    System.exit(0);
  }

  private Session connect(URI url, Consumer<JsonNode> onMessage) throws Exception {
    return client.connectToServer(
        new Endpoint() {
          @Override
          public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(16 * 1024 * 1024);
            session.addMessageHandler(String.class, text -> dispatch(text, onMessage));
          }
        },
        ClientEndpointConfig.Builder.create().build(),
        url);
  }

  private static void dispatch(String text, Consumer<JsonNode> onMessage) {
    try {
      JsonNode tree = JSON.readTree(text);
      if (tree.isArray()) {
        tree.forEach(onMessage);
      } else {
        onMessage.accept(tree);
      }
    } catch (IOException e) {
      System.err.println("Unparseable frame: " + text);
    }
  }

  private void run(URI url, int writers, int window, int subscribers, int seconds, String label)
      throws Exception {
    run(url, url, writers, window, subscribers, seconds, label);
  }

  /** Writers on {@code writeUrl}, subscribers on {@code readUrl}; prints one result line. */
  void run(URI writeUrl, URI readUrl, int writers, int window, int subscribers, int seconds,
      String label) throws Exception {
    URI url = writeUrl;
    String run = Long.toString(System.nanoTime(), 36);
    List<Session> sessions = new ArrayList<>();
    List<Session> subscriberSessions = new ArrayList<>();
    for (int s = 0; s < subscribers; s++) {
      Session session = connect(readUrl, this::onPushed);
      sessions.add(session);
      subscriberSessions.add(session);
    }
    double setupSeconds = subscribe(subscriberSessions, run, writers);
    List<Thread> threads = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    long start = System.currentTimeMillis();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Semaphore inFlight = new Semaphore(window);
      Session session = connect(url, m -> onAck(m, inFlight));
      sessions.add(session);
      Thread thread =
          new Thread(() -> write(session, run, writer, start, inFlight, stop), "writer-" + w);
      threads.add(thread);
      thread.start();
    }
    Thread.sleep(WARMUP_MILLIS);
    long cpuBefore = cpuTicks();
    measuring.set(true);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long cpuAfter = cpuTicks();
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(5000);
    }
    int setupAnswers = answeredGets.get();
    double warmSetupSeconds = Double.NaN;
    if (WARM_GETS) {
      Thread.sleep(1000); // the writers' last acks and fan-out drain first
      warmSetupSeconds = subscribe(subscriberSessions, run + "w", writers);
    }
    System.out.printf(
        "%s: writers=%d window=%d subscribers=%d seconds=%d%n  acked puts/s %.0f, ack p50 %.1f ms,"
            + " p99 %.1f ms%n  fan-out deliveries/s %.0f, fan-out p50 %.1f ms, p99 %.1f ms%n",
        label,
        writers,
        window,
        subscribers,
        seconds,
        ackLatency.count() / elapsed,
        ackLatency.percentileMillis(50),
        ackLatency.percentileMillis(99),
        fanoutLatency.count() / elapsed,
        fanoutLatency.percentileMillis(50),
        fanoutLatency.percentileMillis(99));
    int acked = ackLatency.count();
    double cpuMicrosPerPut =
        cpuBefore < 0 || acked == 0 ? Double.NaN : (cpuAfter - cpuBefore) * 1e6 / TICKS / acked;
    System.out.printf(
        "  setup: %d gets of unknown souls answered in %.2f s (%d of %d answered);"
            + " server CPU per acked put %.0f µs, peak RSS %.0f MB%n",
        subscribers * writers * SOULS, setupSeconds, setupAnswers,
        subscribers * writers * SOULS, cpuMicrosPerPut, kib("VmHWM") / 1024.0);
    System.out.printf(
        "RESULT label=%s writers=%d window=%d subscribers=%d puts=%.0f ackp50=%.1f ackp99=%.1f"
            + " fanout=%.0f fanp50=%.1f fanp99=%.1f cpuus=%.0f hwmmb=%.0f setups=%.2f%s%n",
        label, writers, window, subscribers, acked / elapsed, ackLatency.percentileMillis(50),
        ackLatency.percentileMillis(99), fanoutLatency.count() / elapsed,
        fanoutLatency.percentileMillis(50), fanoutLatency.percentileMillis(99), cpuMicrosPerPut,
        kib("VmHWM") / 1024.0, setupSeconds,
        WARM_GETS ? String.format(" wsetups=%.2f", warmSetupSeconds) : "");
    for (Session session : sessions) {
      session.close();
    }
    client.shutdown();
  }

  /**
   * Prints the medians over rounds of the {@code RESULT} lines (one row per label, i.e.
   * target/configuration, in first-seen order), then the memory lines.
   */
  static void summary(List<String> lines) {
    Map<String, List<Map<String, String>>> byLabel = new java.util.LinkedHashMap<>();
    for (String line : lines) {
      if (!line.startsWith("RESULT ")) {
        continue;
      }
      Map<String, String> values = new java.util.HashMap<>();
      for (String pair : line.substring(7).trim().split(" ")) {
        int eq = pair.indexOf('=');
        values.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      byLabel.computeIfAbsent(values.get("label"), l -> new ArrayList<>()).add(values);
    }
    String[] keys =
        {"puts", "ackp50", "ackp99", "fanp50", "fanp99", "cpuus", "hwmmb", "setups", "wsetups"};
    System.out.printf("%n%-22s %6s %9s %9s %9s %9s %9s %9s %8s %8s %9s%n", "medians of rounds",
        "n", "puts/s", "ack p50", "ack p99", "fan p50", "fan p99", "cpu µs/put", "peak MB",
        "setup s", "warm setup s");
    List<String> labels = new ArrayList<>(byLabel.keySet());
    labels.sort(java.util.Comparator.comparing((String l) -> l.substring(l.indexOf('/'))));
    for (String label : labels) {
      List<Map<String, String>> runs = byLabel.get(label);
      if (runs.get(0).containsKey("mode")) {
        continue;
      }
      StringBuilder row = new StringBuilder(String.format("%-22s %6d", label, runs.size()));
      for (String key : keys) {
        row.append(String.format(" %9s", median(runs, key)));
      }
      System.out.println(row);
    }
    for (String label : labels) {
      for (Map<String, String> run : byLabel.get(label)) {
        if ("memory".equals(run.get("mode"))) {
          System.out.printf("%-22s %s souls × %s fields in %s s: RSS %s MB, at rest %s MB"
              + " (peak %s MB)%n", label, run.get("souls"), run.get("fields"), run.get("seconds"),
              run.get("rssmb"), run.get("restmb"), run.get("hwmmb"));
        } else if ("gets".equals(run.get("mode"))) {
          System.out.printf("%-22s %s gets of souls on disk in %s s (%s found); RSS %s MB%n",
              label, run.get("gets"), run.get("seconds"), run.get("found"), run.get("rssmb"));
        }
      }
    }
    for (String label : labels) {
      List<Map<String, String>> starts = byLabel.get(label).stream()
          .filter(r -> "start".equals(r.get("mode"))).toList();
      if (!starts.isEmpty()) {
        System.out.printf("%-22s start to ready: median %s s (%s s of the relay's CPU) of %d"
            + " starts%n", label, median(starts, "seconds"), median(starts, "cpus"),
            starts.size());
      }
    }
  }

  private static String median(List<Map<String, String>> runs, String key) {
    double[] values = runs.stream().map(r -> r.get(key)).filter(java.util.Objects::nonNull)
        .mapToDouble(Double::parseDouble).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (values.length == 0) {
      return "-";
    }
    int n = values.length;
    double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    if (median >= 10) {
      return String.format(median >= 100 ? "%.0f" : "%.1f", median);
    }
    // up to two decimals below 10 (a setup of 0.95 s against 0.53 s must not print as 1.0 / 0.5),
    // no more than the figures had (an ack p50 of 5.3 ms stays 5.3)
    return java.math.BigDecimal.valueOf(median).setScale(2, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
  }

  /** Fills the relay with souls × fields (see the class comment) and prints its RSS. */
  void fill(URI url, int souls, int fields, String label) throws Exception {
    String run = System.getProperty("bench.run", Long.toString(System.nanoTime(), 36));
    int connections = 4;
    int window = 128;
    AtomicInteger next = new AtomicInteger();
    List<Session> sessions = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicBoolean failed = new AtomicBoolean();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      Semaphore inFlight = new Semaphore(window);
      Session session = connect(url, m -> onAck(m, inFlight));
      sessions.add(session);
      Thread thread = new Thread(() -> {
        try {
          for (int i = next.getAndIncrement(); i < souls; i = next.getAndIncrement()) {
            if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
              failed.set(true);
              return;
            }
            String id = "m" + run + "i" + i + "e";
            sentAt.put(id, System.nanoTime());
            String soul = filledSoul(run, i);
            StringBuilder states = new StringBuilder();
            StringBuilder values = new StringBuilder();
            for (int f = 0; f < fields; f++) {
              states.append(f == 0 ? "" : ",").append("\"f").append(f).append("\":")
                  .append(FILL_STATE);
              values.append(",\"f").append(f).append("\":\"value ").append(i).append('.')
                  .append(f).append(FILL_STATE == 1 ? "" : "." + FILL_STATE).append('"');
            }
            send(session, "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\""
                + soul + "\",\">\":{" + states + "}}" + values + "}}}");
          }
          if (!inFlight.tryAcquire(window, 60, TimeUnit.SECONDS)) {
            failed.set(true);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "filler-" + c);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(3000);
    double rss = kib("VmRSS") / 1024.0;
    Thread.sleep(REST_MILLIS);
    double rested = kib("VmRSS") / 1024.0;
    double peak = kib("VmHWM") / 1024.0;
    System.out.printf(
        "%s: %d souls x %d fields put in %.1f s%s; RSS %.0f MB, %.0f MB after %d s at rest"
            + " (peak %.0f MB)%n"
            + "RESULT label=%s mode=memory souls=%d fields=%d seconds=%.1f rssmb=%.0f"
            + " restmb=%.0f hwmmb=%.0f%n",
        label, souls, fields, seconds, failed.get() ? " (SOME PUTS NOT ACKED IN 60 s)" : "",
        rss, rested, REST_MILLIS / 1000, peak, label, souls, fields, seconds, rss, rested, peak);
    for (Session session : sessions) {
      session.close();
    }
    client.shutdown();
  }

  /** The i-th soul a {@code fill} of {@code run} puts, which {@code gets} asks for. */
  private static String filledSoul(String run, int i) {
    return "mem/" + run + "/" + i;
  }

  /** Asks for souls a {@code fill} put (see the class comment) and prints how long it took. */
  void gets(URI url, String run, int souls, int subscribers, String label) throws Exception {
    List<Session> sessions = new ArrayList<>();
    for (int s = 0; s < subscribers; s++) {
      sessions.add(connect(url, this::onPushed));
    }
    List<String> wanted = new ArrayList<>();
    for (int i = 0; i < souls; i++) {
      wanted.add(filledSoul(run, i));
    }
    double seconds = subscribe(sessions, run, wanted);
    System.out.printf(
        "%s: %d gets of souls on disk answered in %.2f s (%d answered, %d with the node);"
            + " RSS %.0f MB%n"
            + "RESULT label=%s mode=gets gets=%d seconds=%.2f found=%d rssmb=%.0f%n",
        label, souls * subscribers, seconds, answeredGets.get(), foundGets.get(),
        kib("VmRSS") / 1024.0, label, souls * subscribers, seconds, foundGets.get(),
        kib("VmRSS") / 1024.0);
    for (Session session : sessions) {
      session.close();
    }
    client.shutdown();
  }

  /**
   * Every subscriber asks for every writer soul (none written yet: gets of unknown souls), each
   * from its own thread, and waits until all are answered; returns the seconds that took.
   */
  private double subscribe(List<Session> subscribers, String run, int writers)
      throws InterruptedException {
    List<String> souls = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      for (int k = 0; k < SOULS; k++) {
        souls.add(soul(run, w, k));
      }
    }
    return subscribe(subscribers, run, souls);
  }

  /** Every subscriber asks for every soul, each from its own thread; seconds until all answered. */
  private double subscribe(List<Session> subscribers, String run, List<String> souls)
      throws InterruptedException {
    long start = System.nanoTime();
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < subscribers.size(); s++) {
      int subscriber = s;
      Session session = subscribers.get(s);
      Thread sender = new Thread(() -> {
        for (int k = 0; k < souls.size(); k++) {
          String id = "sub" + run + subscriber + "x" + k + "g";
          pendingGets.add(id);
          send(session, "{\"#\":\"" + id + "\",\"get\":{\"#\":\"" + souls.get(k) + "\"}}");
        }
      }, "subscriber-" + s);
      senders.add(sender);
      sender.start();
    }
    for (Thread sender : senders) {
      sender.join();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!pendingGets.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!pendingGets.isEmpty()) {
      System.err.println(pendingGets.size() + " gets unanswered after 120 s");
    }
    return seconds;
  }

  /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100;

  /** The relay's user + system CPU in clock ticks, or -1 without a pid. */
  private long cpuTicks() {
    if (serverPid < 0) {
      return -1;
    }
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + serverPid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      System.err.println("Cannot read the relay's CPU: " + e);
      return -1;
    }
  }

  /** A KiB figure of /proc/PID/status (VmHWM, VmRSS), or NaN without a pid. */
  double kib(String key) {
    if (serverPid < 0) {
      return Double.NaN;
    }
    try {
      for (String line : java.nio.file.Files.readAllLines(
          java.nio.file.Path.of("/proc/" + serverPid + "/status"))) {
        if (line.startsWith(key + ":")) {
          return Double.parseDouble(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      System.err.println("Cannot read the relay's memory: " + e);
    }
    return Double.NaN;
  }

  private void write(
      Session session, String run, int writer, long start, Semaphore inFlight, AtomicBoolean stop) {
    long paced = System.nanoTime();
    try {
      for (long seq = 0; !stop.get(); seq++) {
        if (RATE > 0) {
          paced += (long) (1e9 / RATE);
          for (long wait = paced - System.nanoTime(); wait > 0 && !stop.get();
              wait = paced - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
        }
        if (!inFlight.tryAcquire(10, TimeUnit.SECONDS)) {
          System.err.println("writer " + writer + ": no ack for 10 s, giving up");
          return;
        }
        String id = putId(run, writer, seq);
        String state = io.soulgraph.ham.JsJson.number(start - 1000 + seq * 0.001);
        long now = System.nanoTime();
        sentAt.put(id, now);
        String soul = soul(run, writer, (int) (seq % SOULS));
        String field = "f" + ((seq / SOULS) % FIELDS);
        if (signer != null) {
          String envelope = signer.envelope(soul, field, "t" + now, Double.parseDouble(state));
          send(session, "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul
              + "\",\">\":{\"" + field + "\":" + state + "}},\"" + field + "\":"
              + io.soulgraph.ham.JsJson.quote(envelope) + "}}}");
          continue;
        }
        send(
            session,
            "{\"#\":\""
                + id
                + "\",\"put\":{\""
                + soul
                + "\":{\"_\":{\"#\":\""
                + soul
                + "\",\">\":{\""
                + field
                + "\":"
                + state
                + "}},\""
                + field
                + "\":\"t"
                + now
                + "\"}}}");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Ends in a letter because GunDB's relay de-duplicates, for 9 s, not only message ids but also
   * the id of each field write it derives from a put: the put's id followed by the field's index
   * ({@code "…s1"} → {@code "…s10"}). With a digit at the end, put {@code …s10} would arrive as a
   * "seen" id and be dropped without an ack; gun's own clients use random ids and never hit this.
   */
  static String putId(String run, int writer, long seq) {
    return "p" + run + "w" + writer + "s" + seq + "e";
  }

  private String soul(String run, int writer, int k) {
    String soul = "bench/" + run + "/" + writer + "/" + k;
    return signer == null ? soul : "~" + signer.pub + "/" + soul;
  }

  /** Signs fields with one P-256 key exactly as SEA does (see relay/sea). */
  private static final class SeaSigner {
    private final java.security.KeyPair pair;
    final String pub;

    SeaSigner() {
      try {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        pair = generator.generateKeyPair();
        java.security.spec.ECPoint w = ((java.security.interfaces.ECPublicKey) pair.getPublic()).getW();
        pub = coordinate(w.getAffineX()) + "." + coordinate(w.getAffineY());
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static String coordinate(java.math.BigInteger value) {
      byte[] raw = value.toByteArray();
      byte[] fixed = new byte[32];
      int copy = Math.min(raw.length, 32);
      System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    String envelope(String soul, String field, String text, double state) {
      String value = io.soulgraph.ham.JsJson.quote(text);
      try {
        java.security.Signature signature =
            java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initSign(pair.getPrivate());
        signature.update(io.soulgraph.relay.sea.SeaSignature.digest(
            io.soulgraph.relay.sea.SeaSignature.signedText(soul, field, value, state)));
        return "{\":\":" + value + ",\"~\":\""
            + java.util.Base64.getEncoder().encodeToString(signature.sign()) + "\"}";
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private void onAck(JsonNode message, Semaphore inFlight) {
    String replyTo = message.path("@").asText(null);
    if (replyTo == null || !(message.has("ok") || message.has("err"))) {
      return;
    }
    Long sent = sentAt.remove(replyTo);
    if (sent != null) {
      if (measuring.get() && !message.has("err")) {
        ackLatency.add(System.nanoTime() - sent);
      }
      inFlight.release();
    }
  }

  private void onPushed(JsonNode message) {
    JsonNode replyTo = message.get("@");
    if (replyTo != null && pendingGets.remove(replyTo.asText())) {
      answeredGets.incrementAndGet();
      if (message.path("put").size() > 0) {
        foundGets.incrementAndGet();
      }
      return;
    }
    if (!message.has("put") || message.has("@") || !measuring.get()) {
      return;
    }
    long now = System.nanoTime();
    message
        .path("put")
        .forEach(
            node ->
                node.fields()
                    .forEachRemaining(
                        field -> {
                          String v = unwrap(field.getValue().asText(""));
                          if (!field.getKey().equals("_") && v.startsWith("t")) {
                            fanoutLatency.add(now - Long.parseLong(v.substring(1)));
                          }
                        }));
  }

  /** The value inside a SEA envelope, or the text itself. */
  private static String unwrap(String value) {
    if (!value.startsWith("{")) {
      return value;
    }
    try {
      return JSON.readTree(value).path(":").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  private static void send(Session session, String text) {
    try {
      synchronized (session) {
        session.getBasicRemote().sendText(text);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Expected to send but the connection failed", e);
    }
  }

  /** Latencies in nanoseconds; percentiles by sorting a copy. */
  private static final class LatencyLog {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    synchronized int count() {
      return size;
    }

    synchronized double percentileMillis(int p) {
      if (size == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted[Math.min(size - 1, (int) Math.ceil(p / 100.0 * size) - 1)] / 1e6;
    }
  }
}
