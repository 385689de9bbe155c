package io.soulgraph.relay.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a relay at rest give part of its heap back to the system. Under load G1 grows the heap to
 * its maximum (a 100k-soul import leaves a 512 MB heap committed around a 240 MB live set) and, by
 * default, keeps it: it returns memory only after a collection cycle that finds more than 70 % of
 * the heap free, and an idle JVM runs none. So, with G1 and only where the command line left them
 * alone, a relay that has not collected for {@link #IDLE_MILLIS} runs a concurrent cycle
 * ({@code G1PeriodicGCInterval}, JEP 346), and a cycle gives back what keeps more than
 * {@link #MAX_FREE_PERCENT} % of the heap free. Old garbage the cycle finds is freed only by the
 * mixed collections after it, which an idle relay does not run, so a heap full of it stays (at
 * {@code -Xmx1g}, docs/relay.md): {@link IdleCompaction} frees it, once a busy relay goes quiet.
 * All three are manageable flags, so they apply whether the relay was started by bin/soulgraph or
 * by {@code java -jar}.
 */
final class HeapAtRest {

  private static final Logger LOG = LoggerFactory.getLogger(HeapAtRest.class);

  /** A relay that has not collected for this long is at rest. */
  static final long IDLE_MILLIS = 30_000;

  /** The most free heap, in percent, left committed after a collection. */
  static final int MAX_FREE_PERCENT = 30;

  /** The least free heap, in percent, left after a full collection (at most the maximum). */
  static final int MIN_FREE_PERCENT = 10;

  private HeapAtRest() {}

  /**
   * Sets the three flags where G1 collects and each still has its default, and starts the
   * compaction at rest unless explicit collections are disabled; logs what it did.
   */
  static void apply() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    try {
      if (!Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
        return;
      }
      boolean ratiosOurs = isDefault(vm, "MinHeapFreeRatio") && isDefault(vm, "MaxHeapFreeRatio");
      if (ratiosOurs) {
        vm.setVMOption("MinHeapFreeRatio", Integer.toString(MIN_FREE_PERCENT));
        vm.setVMOption("MaxHeapFreeRatio", Integer.toString(MAX_FREE_PERCENT));
      }
      if (isDefault(vm, "G1PeriodicGCInterval")) {
        vm.setVMOption("G1PeriodicGCInterval", Long.toString(IDLE_MILLIS));
      }
      LOG.debug("Heap at rest: G1PeriodicGCInterval={} ms, MaxHeapFreeRatio={} %",
          vm.getVMOption("G1PeriodicGCInterval").getValue(),
          vm.getVMOption("MaxHeapFreeRatio").getValue());
      if (!Boolean.parseBoolean(vm.getVMOption("DisableExplicitGC").getValue())) {
        IdleCompaction.start(ratiosOurs);
      }
    } catch (RuntimeException e) { // a JVM without these flags: the heap only stays as it grew
      LOG.debug("Could not set the heap's flags for rest: {}", e.toString());
    }
  }

  private static boolean isDefault(HotSpotDiagnosticMXBean vm, String flag) {
    return vm.getVMOption(flag).getOrigin() == VMOption.Origin.DEFAULT;
  }
}
