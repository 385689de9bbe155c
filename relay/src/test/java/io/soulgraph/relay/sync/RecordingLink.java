package io.soulgraph.relay.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A link without a socket: what the core writes is parsed and kept, so a test can drive {@link
 * SyncCore} directly (a transport only frames text, so nothing is lost).
 */
final class RecordingLink implements Link {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final List<JsonNode> received = new ArrayList<>();
  private int frames;
  private final boolean liveChangesElsewhere;
  private Disconnect disconnected;

  RecordingLink(String id) {
    this(id, false);
  }

  RecordingLink(String id, boolean liveChangesElsewhere) {
    this.id = id;
    this.liveChangesElsewhere = liveChangesElsewhere;
  }

  @Override
  public String describe() {
    return id;
  }

  @Override
  public boolean liveChangesElsewhere() {
    return liveChangesElsewhere;
  }

  @Override
  public boolean readsBatches() {
    return true; // as a WebSocket peer does
  }

  @Override
  public synchronized void write(String frame, Runnable written) {
    frames++;
    try {
      JsonNode tree = JSON.readTree(frame);
      if (tree.isArray()) {
        tree.forEach(received::add);
      } else {
        received.add(tree);
      }
      notifyAll();
    } catch (IOException e) {
      throw new UncheckedIOException("The relay sent a frame that is not JSON: " + frame, e);
    } finally {
      written.run();
    }
  }

  @Override
  public synchronized void disconnect(Disconnect reason, String text) {
    disconnected = reason;
    notifyAll();
  }

  synchronized Disconnect disconnected() {
    return disconnected;
  }

  synchronized JsonNode await(Predicate<JsonNode> match) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      for (JsonNode message : received) {
        if (match.test(message)) {
          return message;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(id + " received no matching message; got " + received);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** How many frames carried what was received. */
  synchronized int frames() {
    return frames;
  }

  synchronized List<JsonNode> matching(Predicate<JsonNode> match) {
    return received.stream().filter(match).toList();
  }

  @Override
  public String toString() {
    return id;
  }
}
