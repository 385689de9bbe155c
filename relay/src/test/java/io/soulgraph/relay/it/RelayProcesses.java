package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Relay processes an IT starts from the jar: their output collected while they run, their start
 * awaited with a deadline, and their stop bounded, so no test leaves one behind.
 */
final class RelayProcesses {
  private static final Pattern LISTENING =
      Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/gun");

  private RelayProcesses() {}

  /** Appends the process's output (stdout, with stderr if redirected) line by line to output. */
  static void collectOutput(Process relay, StringBuilder output) {
    Thread reader =
        new Thread(
            () -> {
              try (var in = relay.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (output) {
                    output.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                // the relay stopped
              }
            },
            "relay-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The WebSocket port the relay logs that it listens on; fails with its output if it exits or
   * has not logged it within the timeout. {@code what} names the relay in that failure.
   */
  static int awaitListening(Process relay, StringBuilder output, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (output) {
        Matcher listening = LISTENING.matcher(output);
        if (listening.find()) {
          return Integer.parseInt(listening.group(1));
        }
      }
      if (!relay.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    synchronized (output) {
      return fail(what + " did not start:\n" + output);
    }
  }

  /** Stops the relay, forcibly if it has not exited 30 seconds after being asked to. */
  static void stop(Process relay) throws InterruptedException {
    relay.destroy();
    if (!relay.waitFor(30, TimeUnit.SECONDS)) {
      relay.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
