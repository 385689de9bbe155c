package io.soulgraph.relay.gun;

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
 * A connection without a socket: what the protocol sends it is parsed and kept, so a test can drive
 * {@link GunProtocol} directly (the transport only frames text, so nothing is lost).
 */
final class RecordingPeer implements Peer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final boolean relay;
  private final PeerBudget budget = new PeerBudget(GunLimits.defaults(), System::nanoTime);
  private final List<JsonNode> received = new ArrayList<>();
  private int closeCode;

  RecordingPeer(String id, boolean relay) {
    this.id = id;
    this.relay = relay;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public synchronized void send(String frame) {
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
    }
  }

  @Override
  public synchronized void close(int code, String reason) {
    closeCode = code;
  }

  @Override
  public boolean isRelay() {
    return relay;
  }

  @Override
  public PeerBudget budget() {
    return budget;
  }

  synchronized int closeCode() {
    return closeCode;
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

  synchronized List<JsonNode> matching(Predicate<JsonNode> match) {
    return received.stream().filter(match).toList();
  }
}
