package io.soulgraph.relay.cli;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the JVM's class-sharing archive for bin/soulgraph, which maps it at the next start
 * instead of loading and verifying every class again (docs/relay.md, "Start it"). The launcher
 * asks for one by passing {@code -XX:+RecordDynamicDumpInfo} and the file in {@link #PROPERTY}.
 * It is written when a relay that started stops cleanly, not by the JVM's own
 * {@code -XX:ArchiveClassesAtExit}: that writes on every exit, also of {@code --help} or of a
 * port in use, and an archive of the few classes such a run loaded would be what every later
 * start maps.
 */
final class ClassSharingArchive {

  private static final Logger LOG = LoggerFactory.getLogger(ClassSharingArchive.class);

  /** The system property naming the archive to write; unset, nothing is written. */
  static final String PROPERTY = "soulgraph.classSharingArchive";

  private ClassSharingArchive() {}

  /** Writes the archive if the launcher asked for one; a failure only costs the next start. */
  static void writeIfAsked() {
    String file = System.getProperty(PROPERTY);
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer()
          .invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              "vmCds",
              new Object[] {new String[] {"dynamic_dump", file}},
              new String[] {String[].class.getName()});
      LOG.debug("Wrote the class-sharing archive {}", file);
    } catch (JMException | RuntimeException e) {
      LOG.warn("Could not write the class-sharing archive {} (later starts load every class): {}",
          file, e.toString());
    }
  }
}
