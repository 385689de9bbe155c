package io.soulgraph.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's meters, scraped as Prometheus text at {@code /metrics}. Names: {@code
 * soulgraph_connections}, {@code soulgraph_messages_in_total{type}}, {@code
 * soulgraph_messages_out_total{type}}, {@code soulgraph_puts_total{outcome}}, {@code
 * soulgraph_acks_total}, {@code soulgraph_errors_total{kind}}, {@code
 * soulgraph_commit_latency_seconds} (histogram). Thread-safe.
 */
public final class RelayMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter acks;
  private final Timer commitLatency;

  public RelayMetrics() {
    registry.gauge("soulgraph.connections", connections);
    acks = Counter.builder("soulgraph.acks").description("puts acked after commit").register(registry);
    commitLatency =
        Timer.builder("soulgraph.commit.latency")
            .description("from a put's arrival to its commit")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
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
    registry.counter("soulgraph.messages.in", "type", type).increment();
  }

  /** A message was sent: type is reply, ack, err, put, get, dam or forward. */
  public void messageOut(String type) {
    registry.counter("soulgraph.messages.out", "type", type).increment();
  }

  /** A put was resolved: outcome is accepted, ignored, deferred or invalid. */
  public void put(String outcome) {
    registry.counter("soulgraph.puts", "outcome", outcome).increment();
  }

  /** A put was acked. */
  public void ack() {
    acks.increment();
  }

  /** An error answered or a connection closed for cause: kind names it. */
  public void error(String kind) {
    registry.counter("soulgraph.errors", "kind", kind).increment();
  }

  /** The time from a put's arrival to its commit. */
  public void commitLatency(long nanos) {
    commitLatency.record(Duration.ofNanos(nanos));
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
}
