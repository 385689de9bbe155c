package io.soulgraph.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's meters, scraped as Prometheus text at {@code /metrics}. Names: {@code
 * soulgraph_connections}, {@code soulgraph_messages_in_total{type}}, {@code
 * soulgraph_messages_out_total{type}}, {@code soulgraph_puts_total{outcome}}, {@code
 * soulgraph_acks_total}, {@code soulgraph_errors_total{kind}}, {@code
 * soulgraph_commit_latency_seconds} (histogram); federation over libp2p: {@code
 * soulgraph_gossip_messages_in_total{outcome}}, {@code soulgraph_gossip_messages_out_total{outcome}},
 * {@code soulgraph_catchup_rounds_total}, {@code soulgraph_catchup_updates_sent_total}, {@code
 * soulgraph_catchup_updates_received_total}; pressure (gauges read at each scrape, {@link
 * #pressureGauge}): {@code soulgraph_sessions{role}}, {@code soulgraph_outbound_queued_bytes{role}},
 * {@code soulgraph_outbound_queued_frames{role}}, {@code soulgraph_puts_waiting{role}}, {@code
 * soulgraph_put_fields_waiting{role}}, {@code soulgraph_delivery_queue}, {@code
 * soulgraph_store_queued_writes}, {@code soulgraph_store_queued_bytes}. Thread-safe.
 */
public final class RelayMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger connections = new AtomicInteger();
  /** Tagged counters by name and tag value: Micrometer's own lookup cost ~2 % of CPU per frame. */
  private final ConcurrentMap<String, Counter> taggedCounters = new ConcurrentHashMap<>();
  private final Counter acks;
  private final Timer commitLatency;

  public RelayMetrics() {
    registry.gauge("soulgraph.connections", connections);
    acks =
        Counter.builder("soulgraph.acks").description("puts acked after commit").register(registry);
    commitLatency =
        Timer.builder("soulgraph.commit.latency")
            .description("from a put's arrival to its commit")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  /**
   * A gauge read when {@code /metrics} is scraped: what the relay holds or has queued now.
   *
   * @param name dotted Micrometer name ({@code soulgraph.outbound.queued.bytes})
   * @param tags key, value pairs
   */
  public void pressureGauge(String name, String description, java.util.function.DoubleSupplier
      value, String... tags) {
    io.micrometer.core.instrument.Gauge.builder(name, value::getAsDouble)
        .description(description)
        .tags(tags)
        .register(registry);
  }

  /** A connection opened (+1) or closed (-1). */
  public void connections(int delta) {
    connections.addAndGet(delta);
  }

  /** The number of open connections. */
  public int openConnections() {
    return connections.get();
  }

  /** A message arrived: type is get, put, reply, dam or other. */
  public void messageIn(String type) {
    tagged("soulgraph.messages.in", "type", type).increment();
  }

  /** A message was sent: type is reply, ack, err, put, get, dam or forward. */
  public void messageOut(String type) {
    tagged("soulgraph.messages.out", "type", type).increment();
  }

  /** A put was resolved: outcome is accepted, ignored, deferred or invalid. */
  public void put(String outcome) {
    tagged("soulgraph.puts", "outcome", outcome).increment();
  }

  /** A put was acked. */
  public void ack() {
    acks.increment();
  }

  /** An error answered or a connection closed for cause: kind names it. */
  public void error(String kind) {
    tagged("soulgraph.errors", "kind", kind).increment();
  }

  /** The time from a put's arrival to its commit. */
  public void commitLatency(long nanos) {
    commitLatency.record(Duration.ofNanos(nanos));
  }

  /**
   * A gossip message arrived on the network's topic: outcome is accepted (handed to the core),
   * rejected (malformed or from a refused peer: not forwarded), ignored or dropped (over a bound).
   */
  public void gossipIn(String outcome) {
    tagged("soulgraph.gossip.messages.in", "outcome", outcome).increment();
  }

  /** A committed change left for the network's topic: outcome is published, too_big or failed. */
  public void gossipOut(String outcome) {
    tagged("soulgraph.gossip.messages.out", "outcome", outcome).increment();
  }

  /** An anti-entropy round with a peer began (version vectors exchanged). */
  public void catchUpRound() {
    registry.counter("soulgraph.catchup.rounds").increment();
  }

  /** Updates (field states) sent to a peer by anti-entropy. */
  public void catchUpUpdatesSent(long updates) {
    registry.counter("soulgraph.catchup.updates.sent").increment(updates);
  }

  /** Updates (field states) received from a peer by anti-entropy. */
  public void catchUpUpdatesReceived(long updates) {
    registry.counter("soulgraph.catchup.updates.received").increment(updates);
  }

  /** The sum of a counter over all its tags, 0 when it was never incremented (tests, /info). */
  public double count(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** All messages received so far, of every type. */
  public double messagesIn() {
    return registry.find("soulgraph.messages.in").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** All meters as Prometheus text. */
  public String scrape() {
    return registry.scrape();
  }

  private Counter tagged(String name, String tag, String value) {
    return taggedCounters.computeIfAbsent(name + '\u0000' + value,
        key -> registry.counter(name, tag, value));
  }
}
