package io.soulgraph.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A user's clone has only the repository: every file a doc (README.md, docs/, module and testdata
 * READMEs) links to or names as a repository path must be in it, and no doc may point at notes
 * that lived beside the repository on the machine it was written on.
 */
final class DocsStandAloneTest {

  /** Maven runs the tests in the module directory. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern CODE = Pattern.compile("`([^`\\s]+)`");
  /** An absolute path. */
  private static final Pattern ABSOLUTE = Pattern.compile("(?<![\\w.~/-])(/[\\w.-]+(?:/[\\w.-]+)*)");

  /** A relative path that climbs: it must still resolve to a file of the repository. */
  private static final Pattern CLIMBING = Pattern.compile("(?<![\\w.])((?:\\.\\./)+[\\w.-]+)");

  static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> files = Files.walk(ROOT, 4)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".md"))
          .filter(f -> !f.equals(ROOT.resolve("README.md")))
          .filter(
              f -> {
                String relative = ROOT.relativize(f).toString().replace('\\', '/');
                return !relative.contains("node_modules/")
                    && !relative.contains("target/")
                    && !relative.startsWith(".")
                    && (relative.startsWith("docs/") || relative.endsWith("README.md"));
              })
          .forEach(docs::add);
    }
    return docs;
  }

  @Test
  void docs_areFoundWhereExpected() throws IOException {
    List<String> names = docs().stream().map(d -> ROOT.relativize(d).toString()).toList();
    assertTrue(
        names.containsAll(List.of("README.md", "docs/relay.md", "docs/gun-protocol.md")),
        "Expected README.md and docs/*.md among " + names);
  }

  @Test
  void everyRelativeLink_pointsIntoTheRepository() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path doc : docs()) {
      Matcher link = LINK.matcher(read(doc));
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
          continue;
        }
        String file = target.replaceAll("#.*$", "");
        Path resolved = doc.getParent().resolve(file).normalize();
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(ROOT.relativize(doc) + ": (" + target + ")");
        }
      }
    }
    assertEquals(List.of(), broken, "links to files that are not in the repository");
  }

  @Test
  void pathsNamedInCode_areInTheRepository() throws IOException {
    Set<String> topLevel = topLevelNames();
    List<String> missing = new ArrayList<>();
    for (Path doc : docs()) {
      Matcher code = CODE.matcher(read(doc));
      while (code.find()) {
        String path = code.group(1).replaceAll("[:#].*$", "");
        int slash = path.indexOf('/');
        boolean repositoryPath = slash > 0 && topLevel.contains(path.substring(0, slash));
        boolean pattern = path.matches(".*[…*<>{}$].*");
        boolean buildOutput = path.contains("target/") || path.contains("node_modules/");
        if (repositoryPath && !pattern && !buildOutput && !Files.exists(ROOT.resolve(path))) {
          missing.add(ROOT.relativize(doc) + ": `" + code.group(1) + "`");
        }
      }
    }
    assertEquals(List.of(), missing, "repository paths named in docs that do not exist");
  }

  @Test
  void noDoc_citesNotesOutsideTheRepository() throws IOException {
    // Whatever machine this runs on, what lies beside the clone is not in a user's clone: a doc
    // that names an existing sibling of it (or climbs into one with ../) cites notes it lacks.
    // (Not when the clone sits in "/" or in the temp directory, whose other entries come and go
    // and which docs name in examples.)
    Path parent = ROOT.getParent();
    Path temp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    Path around = parent == null || parent.getParent() == null || parent.equals(temp)
        ? null : parent;
    List<String> outside = new ArrayList<>();
    for (Path doc : docs()) {
      List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        boolean out = false;
        Matcher absolute = ABSOLUTE.matcher(line);
        while (!out && around != null && absolute.find()) {
          Path named = Path.of(absolute.group(1)).normalize();
          out = named.startsWith(around) && !named.equals(around) && !named.startsWith(ROOT)
              && Files.exists(around.resolve(named.getName(around.getNameCount()).toString()));
        }
        Matcher climbing = CLIMBING.matcher(line);
        while (!out && climbing.find()) {
          Path target = doc.getParent().resolve(climbing.group(1)).normalize();
          out = !target.startsWith(ROOT) || !Files.exists(target);
        }
        if (out) {
          outside.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + line.trim());
        }
      }
    }
    assertEquals(List.of(), outside, "docs citing files outside the repository");
  }

  private static Set<String> topLevelNames() throws IOException {
    try (Stream<Path> entries = Files.list(ROOT)) {
      return Set.copyOf(
          entries
              .filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .toList());
    }
  }

  private static String read(Path doc) throws IOException {
    return Files.readString(doc, StandardCharsets.UTF_8);
  }
}
