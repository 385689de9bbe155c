package io.soulgraph.relay.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a relay at rest give its idle heap back to the system. Under load G1 grows the heap to its
 * maximum (a 100k-soul import leaves a 512 MB heap committed around a 215 MB live set) and, by
 * default, keeps it: it returns memory only after a collection cycle that finds more than 70 % of
 * the heap free, and an idle JVM runs none. So, with G1 and only where the command line left them
 * alone, a relay that has not collected for {@link #IDLE_MILLIS} runs a concurrent cycle
 * ({@code G1PeriodicGCInterval}, JEP 346), and a cycle shrinks the heap to at most
 * {@link #MAX_FREE_PERCENT} % free. All three are manageable flags, so they apply whether the
 * relay was started by bin/soulgraph or by {@code java -jar}.
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

  /** Sets the three flags where G1 collects and each still has its default; logs what it did. */
  static void apply() {
    if (!usesG1()) {
      return;
    }
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    try {
      if (isDefault(vm, "MinHeapFreeRatio") && isDefault(vm, "MaxHeapFreeRatio")) {
        vm.setVMOption("MinHeapFreeRatio", Integer.toString(MIN_FREE_PERCENT));
        vm.setVMOption("MaxHeapFreeRatio", Integer.toString(MAX_FREE_PERCENT));
      }
      if (isDefault(vm, "G1PeriodicGCInterval")) {
        vm.setVMOption("G1PeriodicGCInterval", Long.toString(IDLE_MILLIS));
      }
      LOG.debug("Heap at rest: G1PeriodicGCInterval={} ms, MaxHeapFreeRatio={} %",
          vm.getVMOption("G1PeriodicGCInterval").getValue(),
          vm.getVMOption("MaxHeapFreeRatio").getValue());
    } catch (RuntimeException e) { // a JVM without these flags: the heap only stays as it grew
      LOG.debug("Could not set the heap's flags for rest: {}", e.toString());
    }
  }

  private static boolean usesG1() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector.getName().startsWith("G1 ")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDefault(HotSpotDiagnosticMXBean vm, String flag) {
    return vm.getVMOption(flag).getOrigin() == VMOption.Origin.DEFAULT;
  }
}
