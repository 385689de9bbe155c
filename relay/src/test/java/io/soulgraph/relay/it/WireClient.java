package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.glassfish.tyrus.client.ClientManager;

/**
 * A raw Gun-protocol client over a real WebSocket (Tyrus): sends hand-written frames and collects
 * every message the relay sends (array frames flattened), like the raw experiments of the wire
 * notes.
 */
final class WireClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClientManager manager = ClientManager.createClient();
  private final List<JsonNode> received = new ArrayList<>();
  private final List<String> frames = new ArrayList<>();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final Session session;

  WireClient(URI url) throws Exception {
    session =
        manager.connectToServer(
            new Endpoint() {
              @Override
              public void onOpen(Session opened, EndpointConfig config) {
                opened.setMaxTextMessageBufferSize(64 * 1024 * 1024);
                opened.addMessageHandler(String.class, WireClient.this::onFrame);
              }

              @Override
              public void onClose(Session s, CloseReason reason) {
                closed.complete(reason);
              }
            },
            ClientEndpointConfig.Builder.create().build(),
            url);
  }

  private void onFrame(String frame) {
    synchronized (received) {
      frames.add(frame);
      try {
        JsonNode tree = JSON.readTree(frame);
        if (tree.isArray()) {
          tree.forEach(received::add);
        } else {
          received.add(tree);
        }
      } catch (IOException e) {
        received.add(JSON.getNodeFactory().textNode("UNPARSEABLE " + frame));
      }
      received.notifyAll();
    }
  }

  void send(String frame) throws IOException {
    session.getBasicRemote().sendText(frame);
  }

  /**
   * Sends a frame the relay is expected to answer by closing the connection. The relay may close
   * it while the frame is still being written, and Tyrus then throws from its shut-down executor;
   * the caller asserts the close reason, so that failure is not the test's.
   */
  void sendExpectingClose(String frame) {
    try {
      send(frame);
    } catch (IOException | RuntimeException closedMeanwhile) {
      // the close reason, awaited by the caller, says whether the relay closed it as it should
    }
  }

  /** Waits for the first message (received so far or later) that matches. */
  JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (true) {
        for (JsonNode message : received) {
          if (match.test(message)) {
            return message;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("No matching message within " + timeout + "; received " + received);
        }
        TimeUnit.NANOSECONDS.timedWait(received, left);
      }
    }
  }

  /** How many messages received so far match. */
  int count(Predicate<JsonNode> match) {
    synchronized (received) {
      return (int) received.stream().filter(match).count();
    }
  }

  /**
   * Waits for a matching message or the connection's close.
   *
   * @return true if a message matched, false if the connection closed first
   */
  boolean awaitOrClose(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (true) {
        for (JsonNode message : received) {
          if (match.test(message)) {
            return true;
          }
        }
        if (closed.isDone()) {
          return false;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("Neither a matching message nor a close within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(received, Math.min(left, 50_000_000L));
      }
    }
  }

  /** The reply to message {@code id} ({@code @} = id). */
  JsonNode replyTo(String id) throws InterruptedException {
    return await(m -> id.equals(m.path("@").asText(null)), Duration.ofSeconds(10));
  }

  /** All messages matching, after waiting {@code quiet} for more to arrive. */
  List<JsonNode> allAfter(Predicate<JsonNode> match, Duration quiet) throws InterruptedException {
    Thread.sleep(quiet.toMillis());
    synchronized (received) {
      return received.stream().filter(match).toList();
    }
  }

  /** Whether the relay closed the connection within the timeout, and how. */
  CloseReason awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isOpen() {
    return session.isOpen();
  }

  static Predicate<JsonNode> repliesTo(String id) {
    return m -> id.equals(m.path("@").asText(null));
  }

  @Override
  public void close() {
    try {
      if (session.isOpen()) {
        session.close();
      }
    } catch (IOException ignored) {
      // the relay may have closed it first
    } finally {
      shutDown(manager);
    }
  }

  private static void shutDown(ClientManager manager) {
    try {
      manager.shutdown();
    } catch (NullPointerException alreadyDown) {
      // Tyrus shuts a container down by itself when the relay closed its last session, and a
      // second shutdown then meets its nulled executors (BaseContainer.shutdown): nothing is left
    }
  }
}
