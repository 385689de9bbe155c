package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protocol scenarios every transport must carry unchanged (TinkerPop's provider pattern): a
 * transport only frames, so the same frames in give the same replies out, over an in-memory
 * session, over WebSocket, and over libp2p. A provider is one small class: {@link #start} a relay
 * reachable by the transport and {@link Endpoint#connect} a client to it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TransportContract {

  /** What the scenarios wait for at most. */
  protected static final Duration WAIT = Duration.ofSeconds(15);

  private static final AtomicInteger SOULS = new AtomicInteger();

  /** A relay (sync core on an in-memory store) reachable by the transport under test. */
  public interface Endpoint extends AutoCloseable {
    /** A new connection, as a client of the transport would open it. */
    Client connect() throws Exception;
  }

  /** One connection: frames out, frames in (arrays split into messages). */
  public interface Client extends AutoCloseable {
    void send(String frame) throws Exception;

    /**
     * Sends a frame the relay is expected to answer by closing the connection: a transport whose
     * client fails a write the close overtook says so here (the caller asserts the answer and
     * the close, not the write).
     */
    default void sendExpectingClose(String frame) throws Exception {
      send(frame);
    }

    /** The first received message matching, waiting up to {@code timeout}; fails if none. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout) throws Exception;

    /** The messages received so far that match. */
    List<JsonNode> matching(Predicate<JsonNode> match) throws Exception;

    /** Whether the relay ended the connection (waiting up to {@code timeout} for it). */
    boolean awaitClosed(Duration timeout) throws Exception;
  }

  /** Starts a relay for one scenario. */
  protected abstract Endpoint start() throws Exception;

  /**
   * Whether changes to a soul the connection asked for are pushed on that connection. A client's
   * are; a Soulgraph peer's over libp2p travel by gossipsub instead, never on its sync stream
   * (so that it does not get each change twice).
   */
  protected boolean pushesSubscribedChanges() {
    return true;
  }

  private Endpoint relay;

  @BeforeEach
  public void startRelay() throws Exception {
    relay = start();
  }

  @AfterEach
  public void stopRelay() throws Exception {
    relay.close();
  }

  private static String soul() {
    return "contract/" + System.nanoTime() + "/" + SOULS.incrementAndGet();
  }

  private static String put(String id, String soul, String field, String json) {
    long state = System.currentTimeMillis() - 1000;
    return "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul
        + "\",\">\":{\"" + field + "\":" + state + "}},\"" + field + "\":" + json + "}}}";
  }

  private static String get(String id, String soul) {
    return "{\"#\":\"" + id + "\",\"get\":{\"#\":\"" + soul + "\"}}";
  }

  private static Predicate<JsonNode> replyTo(String id) {
    return m -> id.equals(m.path("@").asText());
  }

  private static Predicate<JsonNode> pushOf(String soul) {
    return m -> m.has("put") && !m.has("@") && m.path("put").has(soul);
  }

  @Test
  public void connect_isGreetedWithTheSoulgraphHandshake() throws Exception {
    try (Client client = relay.connect()) {
      JsonNode hello = client.await(m -> "?".equals(m.path("dam").asText()), WAIT);
      assertFalse(hello.has("@"));
      assertTrue(hello.path("pid").isTextual());
      assertEquals(1, hello.path("sg").path("v").asInt());
      assertTrue(hello.path("sg").path("network").isTextual());
    }
  }

  @Test
  public void handshake_isAnsweredWithTheSameMarker() throws Exception {
    try (Client client = relay.connect()) {
      client.send("{\"#\":\"hi1\",\"dam\":\"?\",\"pid\":\"contract\"}");
      JsonNode answer = client.await(replyTo("hi1"), WAIT);
      assertEquals("?", answer.path("dam").asText());
      assertEquals(1, answer.path("sg").path("v").asInt());
    }
  }

  @Test
  public void put_isAckedAfterCommit_pushedToASubscriber_andNotEchoed() throws Exception {
    String soul = soul();
    try (Client writer = relay.connect();
        Client reader = relay.connect()) {
      reader.send(get("sub", soul));
      reader.await(replyTo("sub"), WAIT);
      writer.send(put("w1", soul, "name", "\"Alice\""));
      assertEquals(1, writer.await(replyTo("w1"), WAIT).path("ok").asInt());
      if (pushesSubscribedChanges()) {
        assertEquals("Alice",
            reader.await(pushOf(soul), WAIT).path("put").path(soul).path("name").asText());
      } else {
        Thread.sleep(500); // what a push would take at most on loopback
        assertEquals(List.of(), reader.matching(pushOf(soul)));
      }
      assertEquals(List.of(), writer.matching(pushOf(soul)));
    }
  }

  @Test
  public void get_isAnsweredWithTheNodeAndItsHash_orWithNotFound() throws Exception {
    String soul = soul();
    try (Client client = relay.connect()) {
      client.send(get("missing", soul()));
      JsonNode notFound = client.await(replyTo("missing"), WAIT);
      assertFalse(notFound.has("put"));
      client.send(put("p1", soul, "n", "1"));
      client.await(replyTo("p1"), WAIT);
      client.send(get("g1", soul));
      JsonNode found = client.await(replyTo("g1"), WAIT);
      assertEquals(1, found.path("put").path(soul).path("n").asInt());
      assertTrue(found.path("##").isNumber());
    }
  }

  @Test
  public void badFrame_isAnsweredWithErr_andTheConnectionServesOn() throws Exception {
    try (Client client = relay.connect()) {
      client.send("{\"#\":\"bad\",\"get\":5}");
      assertTrue(client.await(replyTo("bad"), WAIT).path("err").isTextual());
      client.send(get("after", soul()));
      client.await(replyTo("after"), WAIT);
    }
  }

  @Test
  public void soulgraphPeerOfAnotherNetwork_isRefusedAndDisconnected() throws Exception {
    try (Client client = relay.connect()) {
      client.sendExpectingClose("{\"#\":\"net\",\"dam\":\"?\",\"pid\":\"x\","
          + "\"sg\":{\"v\":1,\"network\":\"not-this-one\"}}");
      assertTrue(client.await(replyTo("net"), WAIT).path("err").asText().contains("not-this-one"));
      assertTrue(client.awaitClosed(WAIT));
    }
  }
}
