package io.soulgraph.proptests;

import io.soulgraph.ham.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Real JavaScript {@code JSON.stringify}, from one {@code node} process kept for a whole property
 * run and fed one request line per example ({@code src/test/js/json-stringify-lines.js}). Values
 * travel as UTF-16 code units and IEEE-754 bits, so nothing is lost or re-encoded on the way.
 */
final class JsStringify implements AutoCloseable {

  /** What JavaScript made of one request. */
  record Answer(int compareFirstTwo, List<String> texts) {}

  private static final Path SCRIPT = Path.of("src", "test", "js", "json-stringify-lines.js");
  private static final long ANSWER_TIMEOUT_SECONDS = 30;

  private final Process process;
  private final Writer requests;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  JsStringify() throws IOException {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IllegalStateException("Expected the node script at " + SCRIPT.toAbsolutePath());
    }
    process = new ProcessBuilder("node", SCRIPT.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readAnswers, "node-json-stringify");
    reader.setDaemon(true);
    reader.start();
  }

  private void readAnswers() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        answers.add(line);
      }
    } catch (IOException e) {
      answers.add("closed: " + e);
    }
  }

  /** JSON.stringify of each spec ({@link #string}, {@link #number}, {@link #value}). */
  Answer stringify(String... specs) {
    try {
      requests.write("[" + String.join(",", specs) + "]\n");
      requests.flush();
      String line = answers.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (line == null || !line.chars().allMatch(c -> c == '-' || c == '|' || c == ','
          || Character.isDigit(c))) {
        throw new IllegalStateException("Expected an answer from node but received " + line);
      }
      String[] parts = line.split("\\|", -1);
      List<String> texts = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) {
        texts.add(decodeUnits(parts[i]));
      }
      return new Answer(Integer.parseInt(parts[0]), texts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for node", e);
    }
  }

  /** The spec of a string. */
  static String string(String s) {
    return "[\"s\"," + units(s) + "]";
  }

  /** The spec of a number, by its exact bits (so -0 and subnormals arrive as they are). */
  static String number(double x) {
    return String.format("[\"n\",\"%016x\"]", Double.doubleToRawLongBits(x));
  }

  /** The spec of a HAM value of any kind. */
  static String value(Value v) {
    return switch (v.kind()) {
      case STRING -> string(v.asString());
      case NUMBER -> number(v.asNumber());
      case BOOLEAN -> "[\"b\"," + v.asBoolean() + "]";
      case NULL -> "[\"z\"]";
      case LINK -> "[\"l\"," + units(v.linkSoul()) + "]";
    };
  }

  private static String units(String s) {
    StringJoiner out = new StringJoiner(",", "[", "]");
    s.chars().forEach(c -> out.add(Integer.toString(c)));
    return out.toString();
  }

  private static String decodeUnits(String csv) {
    StringBuilder out = new StringBuilder();
    for (String unit : csv.isEmpty() ? new String[0] : csv.split(",")) {
      out.append((char) Integer.parseInt(unit));
    }
    return out.toString();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
