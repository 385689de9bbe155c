package io.soulgraph.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the protocol core transport-free (Yjs's {@code readSyncMessage} shape): nothing in {@code
 * io.soulgraph.relay.sync} (the sync core) or {@code io.soulgraph.relay.gun} (the codec) may import
 * a web server, a WebSocket API, libp2p or the relay's transport packages, and wire keys may not
 * leak into the transports.
 */
final class ArchitectureTest {

  private static final Path MAIN = Path.of("src/main/java/io/soulgraph/relay");

  private static List<String> offending(Path dir, List<String> forbidden) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .flatMap(
              f -> {
                try {
                  return Files.readAllLines(f).stream()
                      .filter(line -> forbidden.stream().anyMatch(line::contains))
                      .map(line -> f.getFileName() + ": " + line.trim());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  @Test
  void syncCoreAndCodec_importNoTransport() throws IOException {
    List<String> forbidden =
        List.of(
            "import io.javalin",
            "import jakarta.websocket",
            "import org.eclipse.jetty",
            "import org.glassfish",
            "import io.soulgraph.relay.http",
            "import io.soulgraph.relay.federation",
            "import io.soulgraph.relay.cli",
            "import io.soulgraph.relay.p2p",
            "import io.soulgraph.libp2p",
            "import io.netty");
    assertEquals(List.of(), offending(MAIN.resolve("gun"), forbidden));
    assertEquals(List.of(), offending(MAIN.resolve("sync"), forbidden));
  }

  @Test
  void transports_writeNoWireKeys() throws IOException {
    List<String> forbidden = List.of("\"\\\"#\\\"", "\"\\\"@\\\"", "\"put\"", "\"get\"", "\"dam\"");
    assertEquals(List.of(), offending(MAIN.resolve("http"), forbidden));
    assertEquals(List.of(), offending(MAIN.resolve("federation"), forbidden));
  }
}
