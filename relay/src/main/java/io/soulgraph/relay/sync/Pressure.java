package io.soulgraph.relay.sync;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.relay.metrics.RelayMetrics;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.ToLongFunction;

/**
 * What the relay holds for its sessions and has queued, as {@code /metrics} gauges, so that an
 * operator sees pressure before it hurts: sessions, bytes and frames queued to them, puts and put
 * fields waiting, by role; the delivery queue; the store writer's backlog. Summing over sessions
 * costs one pass over them, so a scrape reads one snapshot, taken at most once a second.
 */
final class Pressure {

  private static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final Set<Session> sessions;
  private Map<Role, long[]> snapshot = Map.of();
  private long takenAt;

  private enum Measure {
    SESSIONS("soulgraph.sessions", "open sessions", s -> 1),
    OUTBOUND_BYTES("soulgraph.outbound.queued.bytes",
        "characters of frames queued to sessions and not yet written",
        s -> s.budget().outboundBytes()),
    OUTBOUND_FRAMES("soulgraph.outbound.queued.frames", "frames queued to sessions, not written",
        s -> s.budget().outboundFrames()),
    PUTS_WAITING("soulgraph.puts.waiting", "puts received and not yet answered",
        s -> s.budget().inFlightPuts()),
    FIELDS_WAITING("soulgraph.put.fields.waiting",
        "fields of puts waiting in their session's lane to enter the store",
        s -> s.lane().fieldsWaiting());

    final String name;
    final String description;
    final ToLongFunction<Session> of;

    Measure(String name, String description, ToLongFunction<Session> of) {
      this.name = name;
      this.description = description;
      this.of = of;
    }
  }

  private Pressure(Set<Session> sessions) {
    this.sessions = sessions;
  }

  /** Registers the gauges. */
  static void register(RelayMetrics metrics, Set<Session> sessions, ThreadPoolExecutor delivery,
      SoulStore store) {
    Pressure pressure = new Pressure(sessions);
    for (Measure measure : Measure.values()) {
      for (Role role : Role.values()) {
        metrics.pressureGauge(measure.name, measure.description,
            () -> pressure.value(role, measure), "role", role.name().toLowerCase(Locale.ROOT));
      }
    }
    metrics.pressureGauge("soulgraph.delivery.queue",
        "committed changes and answers waiting for the delivery thread",
        () -> delivery.getQueue().size());
    metrics.pressureGauge("soulgraph.store.queued.writes",
        "writes waiting for the store's writer (its backlog)", store::queuedWrites);
    metrics.pressureGauge("soulgraph.store.queued.bytes",
        "estimated bytes of the writes waiting for the store's writer", store::queuedWriteBytes);
  }

  private synchronized double value(Role role, Measure measure) {
    long now = System.nanoTime();
    if (now - takenAt > MAX_AGE_NANOS || snapshot.isEmpty()) {
      Map<Role, long[]> sums = new EnumMap<>(Role.class);
      for (Role each : Role.values()) {
        sums.put(each, new long[Measure.values().length]);
      }
      for (Session session : sessions) {
        long[] sum = sums.get(session.role());
        for (Measure each : Measure.values()) {
          sum[each.ordinal()] += each.of.applyAsLong(session);
        }
      }
      snapshot = sums;
      takenAt = now;
    }
    return snapshot.get(role)[measure.ordinal()];
  }
}
