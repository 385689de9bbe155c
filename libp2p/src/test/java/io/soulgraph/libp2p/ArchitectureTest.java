package io.soulgraph.libp2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependency rules, checked on the sources (our small stand-in for ArchUnit). */
final class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/io/soulgraph/libp2p");

  private static List<String> offending(Path root, boolean recursive, String importPrefix) {
    try (Stream<Path> files = recursive ? Files.walk(root) : Files.list(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          return Files.readAllLines(p).stream()
              .anyMatch(l -> l.startsWith("import " + importPrefix)
                  || l.startsWith("import static " + importPrefix));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).map(p -> MAIN.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void module_importsNoOtherSoulgraphModule() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      List<String> bad = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("import io.soulgraph.")
              && !l.startsWith("import io.soulgraph.libp2p"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).map(Path::toString).toList();
      assertEquals(List.of(), bad, "libp2p depends on no other Soulgraph module (DESIGN.md)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void apiPackages_exposeNoNetty() {
    assertEquals(List.of(), offending(MAIN, false, "io.netty"));
    assertEquals(List.of(), offending(MAIN.resolve("protocol"), true, "io.netty"));
  }

  @Test
  void apiPackages_useNoInternalsButValuesAndTheBuilder() {
    // Values reuse internal codecs (Varint, Base58, Protobuf, Ed25519); only the builder may
    // name the host implementation, as Caffeine's builder names its caches.
    assertEquals(List.of("HostBuilder.java"),
        offending(MAIN, false, "io.soulgraph.libp2p.internal.host"));
    assertEquals(List.of(), offending(MAIN, false, "io.soulgraph.libp2p.internal.yamux"));
    assertEquals(List.of(), offending(MAIN, false, "io.soulgraph.libp2p.internal.noise"));
  }
}
