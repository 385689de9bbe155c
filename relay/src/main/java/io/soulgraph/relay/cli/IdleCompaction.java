package io.soulgraph.relay.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the heap once when a relay that was busy goes quiet. A burst (an import, a catch-up)
 * leaves old garbage that only G1's mixed collections free, and an idle relay runs none, so its
 * heap stays as the burst left it: at {@code -Xmx1g} a 100k-soul import kept 940 MB resident for
 * as long as the relay stayed idle ({@link HeapAtRest}'s periodic cycle frees young regions only).
 * Here, once no collection but G1's periodic one has run for {@link #IDLE_NANOS}, after at least
 * {@link #BUSY_COLLECTIONS} collections since the last compaction, the relay runs one full
 * collection ({@code System.gc()}), and G1 shrinks the heap to its live set plus the free share
 * {@code MaxHeapFreeRatio} allows: where {@link HeapAtRest} set that share, {@link
 * #COMPACTED_FREE_PERCENT} for this one collection, since a relay at rest allocates little and
 * the heap grows again as soon as load returns. It pauses the relay for a few hundred
 * milliseconds (measured: 318 ms for a 288 MB live set on 2 cores), which only a request arriving
 * in those moments, after a minute of silence, meets. {@code -XX:+DisableExplicitGC} turns it off.
 *
 * <p>Starting counts as busy: loading classes and the JIT compiler's first work leave a heap and C
 * heap grown for them, so a relay that starts and stays idle compacts once after its first quiet
 * minute (measured at {@code -Xmx1g}, where the start ran fewer than {@link #BUSY_COLLECTIONS}
 * collections: an empty relay stayed at 189 MB resident without it, 165 MB with it).
 */
final class IdleCompaction {

  private static final Logger LOG = LoggerFactory.getLogger(IdleCompaction.class);

  /** How long without a collection of the relay's own making a relay is at rest. */
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** How many collections since the last compaction make one worth its pause. */
  static final int BUSY_COLLECTIONS = 20;

  /**
   * The most free heap, in percent, the compaction leaves committed where {@link HeapAtRest} chose
   * the ratios: about 70 MB less than its 30 % around the 214 MB a 100k-soul relay holds.
   */
  static final int COMPACTED_FREE_PERCENT = 10;

  private static final long CHECK_MILLIS = 5_000;
  /** Collections that are not the relay's work: G1's idle cycle and the compaction itself. */
  private static final Set<String> RESTING_CAUSES = Set.of("G1 Periodic Collection", "System.gc()");
  /** Whether this JVM's collections are watched already (a JVM may start several relays). */
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private final long idleNanos;
  private final int busyCollections;
  private final LongSupplier clock;
  private final boolean tightenFreeRatio;
  private final AtomicInteger collectionsSinceCompaction;
  private volatile long lastBusyCollection;

  /**
   * @param tightenFreeRatio whether {@link HeapAtRest} set the heap's free ratios, so the
   *     compaction may leave less free heap than they allow (never where the command line chose)
   */
  IdleCompaction(long idleNanos, int busyCollections, LongSupplier clock,
      boolean tightenFreeRatio) {
    this.idleNanos = idleNanos;
    this.busyCollections = busyCollections;
    this.clock = clock;
    this.tightenFreeRatio = tightenFreeRatio;
    this.collectionsSinceCompaction = new AtomicInteger(busyCollections); // starting was busy
    this.lastBusyCollection = clock.getAsLong();
  }

  /**
   * Starts watching this JVM's collections, on a daemon thread of its own, once per JVM.
   *
   * @param tightenFreeRatio see {@link #IdleCompaction(long, int, LongSupplier, boolean)}
   */
  static void start(boolean tightenFreeRatio) {
    if (STARTED.compareAndSet(false, true)) {
      start(IDLE_NANOS, BUSY_COLLECTIONS, tightenFreeRatio);
    }
  }

  /** As {@link #start(boolean)}, with other bounds (tests). */
  static void start(long idleNanos, int busyCollections, boolean tightenFreeRatio) {
    IdleCompaction compaction =
        new IdleCompaction(idleNanos, busyCollections, System::nanoTime, tightenFreeRatio);
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (notification, handback) -> compaction.onNotification(notification), null, null);
      }
    }
    ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "soulgraph-idle-compaction");
      thread.setDaemon(true);
      return thread;
    });
    long every = Math.min(CHECK_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4));
    checks.scheduleWithFixedDelay(() -> {
      try {
        if (compaction.due()) {
          compaction.compact();
        }
      } catch (RuntimeException e) {
        LOG.warn("Compacting the heap at rest failed", e);
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  private void onNotification(Notification notification) {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      collected(GarbageCollectionNotificationInfo.from(
          (CompositeData) notification.getUserData()).getGcCause());
    }
  }

  /** A collection ended, for {@code cause}. */
  void collected(String cause) {
    if (!RESTING_CAUSES.contains(cause)) {
      lastBusyCollection = clock.getAsLong();
      collectionsSinceCompaction.incrementAndGet();
    }
  }

  /** Whether the relay was busy since the last compaction and has been at rest long enough. */
  boolean due() {
    return collectionsSinceCompaction.get() >= busyCollections
        && clock.getAsLong() - lastBusyCollection >= idleNanos;
  }

  /** A compaction runs: from now on, only collections after it count. */
  void compacting() {
    collectionsSinceCompaction.set(0);
  }

  private void compact() {
    compacting();
    MemoryUsage before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long started = System.nanoTime();
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String freeRatio = vm.getVMOption("MaxHeapFreeRatio").getValue();
    boolean tighten = tightenFreeRatio
        && Integer.parseInt(vm.getVMOption("MinHeapFreeRatio").getValue())
            <= COMPACTED_FREE_PERCENT;
    if (tighten) {
      vm.setVMOption("MaxHeapFreeRatio", Integer.toString(COMPACTED_FREE_PERCENT));
    }
    try {
      System.gc(); // the point: a full collection is the only one that frees old garbage at rest
    } finally {
      if (tighten) {
        vm.setVMOption("MaxHeapFreeRatio", freeRatio);
      }
    }
    MemoryUsage after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    String trimmed = trimNativeHeap();
    LOG.info(
        "At rest: compacted the heap in {} ms, {} MB committed ({} MB used) to {} MB ({} MB){}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), before.getCommitted() >> 20,
        before.getUsed() >> 20, after.getCommitted() >> 20, after.getUsed() >> 20,
        trimmed.isEmpty() ? "" : "; " + trimmed);
  }

  /**
   * Gives the C heap's free memory back to the system ({@code jcmd System.trim_native_heap},
   * glibc's {@code malloc_trim}): glibc keeps what the JVM's own structures freed (the collector's,
   * the JIT compiler's) in its arenas, 33 MB after a 100k-soul import, and returns it only when
   * asked.
   *
   * @return what the JVM reports it gave back, or "" where it cannot (another C library or JVM)
   */
  private static String trimNativeHeap() {
    try {
      Object result = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
          new Object[] {null}, new String[] {String[].class.getName()});
      return String.valueOf(result).trim();
    } catch (JMException | RuntimeException e) {
      LOG.debug("Could not trim the native heap: {}", e.toString());
      return "";
    }
  }
}
