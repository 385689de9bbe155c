package io.soulgraph.relay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.relay.metrics.RelayMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the delivery thread says in one turn leaves in as few frames as the bounds allow. */
final class OutboxTest {

  private final Outbox outbox = new Outbox(
      new RelayMetrics(), new MessageLog(Duration.ofSeconds(9), 1000, 1 << 20, System::nanoTime));

  /** Keeps every frame as written; holds the written callbacks until {@link #flush}. */
  private static final class FrameLink implements Link {
    final List<String> frames = new ArrayList<>();
    final List<Runnable> pending = new ArrayList<>();
    private final boolean readsBatches;

    FrameLink(boolean readsBatches) {
      this.readsBatches = readsBatches;
    }

    @Override
    public String describe() {
      return "frames";
    }

    @Override
    public boolean readsBatches() {
      return readsBatches;
    }

    @Override
    public synchronized void write(String frame, Runnable written) {
      frames.add(frame);
      pending.add(written);
    }

    @Override
    public void disconnect(Disconnect reason, String text) {}

    void flush() {
      pending.forEach(Runnable::run);
      pending.clear();
    }
  }

  private static String message(int n) {
    return "{\"#\":\"m" + n + "\",\"ok\":1}";
  }

  @Test
  void aTurnsMessagesToOneSessionLeaveAsOneArrayFrameWhenTheTurnEnds() {
    FrameLink a = new FrameLink(true);
    FrameLink b = new FrameLink(true);
    Session sessionA = new Session(a, Role.CLIENT);
    Session sessionB = new Session(b, Role.CLIENT);
    outbox.joinTurnsOf(Thread.currentThread());

    outbox.write(sessionA, message(1));
    outbox.write(sessionB, message(2));
    outbox.write(sessionA, message(3));
    outbox.write(sessionA, message(4));
    assertEquals(List.of(), a.frames, "nothing leaves before the turn ends");
    assertEquals(3, sessionA.budget().outboundFrames(), "held messages count as queued");

    outbox.endTurn();
    assertEquals(List.of("[" + message(1) + "," + message(3) + "," + message(4) + "]"), a.frames);
    assertEquals(List.of(message(2)), b.frames, "a lone message is not wrapped in an array");
    a.flush();
    assertEquals(0, sessionA.budget().outboundFrames());
    assertEquals(0, sessionA.budget().outboundBytes());
  }

  @Test
  void otherThreadsAndLinksThatReadOneMessageAFrameWriteAtOnce() throws Exception {
    FrameLink gossip = new FrameLink(false);
    FrameLink socket = new FrameLink(true);
    Session gossipSession = new Session(gossip, Role.CLIENT);
    Session socketSession = new Session(socket, Role.CLIENT);
    outbox.joinTurnsOf(Thread.currentThread());

    outbox.write(gossipSession, message(1));
    CompletableFuture.runAsync(() -> outbox.write(socketSession, message(2))).get();

    assertEquals(List.of(message(1)), gossip.frames);
    assertEquals(List.of(message(2)), socket.frames);
  }

  @Test
  void aHeartbeatOrALargeMessageLeavesAloneAfterWhatCameBefore() {
    FrameLink link = new FrameLink(true);
    Session session = new Session(link, Role.CLIENT);
    outbox.joinTurnsOf(Thread.currentThread());
    String large = "{\"#\":\"big\",\"x\":\"" + "y".repeat(Outbox.MAX_JOINED_CHARS) + "\"}";

    outbox.write(session, message(1));
    outbox.write(session, message(2));
    outbox.write(session, "[]");
    outbox.write(session, message(3));
    outbox.write(session, large);
    outbox.write(session, message(4));
    outbox.endTurn();

    assertEquals(List.of("[" + message(1) + "," + message(2) + "]", "[]", message(3), large,
        message(4)), link.frames);
  }

  @Test
  void framesStayWithinTheirBoundsAndKeepTheOrder() {
    FrameLink link = new FrameLink(true);
    Session session = new Session(link, Role.CLIENT);
    outbox.joinTurnsOf(Thread.currentThread());
    StringBuilder expected = new StringBuilder();
    for (int n = 0; n < 1000; n++) {
      String padded = "{\"#\":\"m" + n + "\",\"pad\":\"" + "p".repeat(n % 300) + "\"}";
      outbox.write(session, padded);
      expected.append(padded);
    }
    outbox.endTurn();

    StringBuilder received = new StringBuilder();
    for (String frame : link.frames) {
      assertTrue(frame.length() <= Outbox.MAX_JOINED_CHARS + 2 + Outbox.MAX_JOINED_MESSAGES,
          "a frame of " + frame.length() + " chars");
      String body = frame.startsWith("[") ? frame.substring(1, frame.length() - 1) : frame;
      assertTrue(body.split("\\},\\{").length <= Outbox.MAX_JOINED_MESSAGES);
      received.append(body.replace("},{", "}{"));
    }
    assertEquals(expected.toString(), received.toString());
    assertTrue(link.frames.size() < 100, link.frames.size() + " frames for 1,000 messages");
  }

  @Test
  void anEndedSessionsHeldMessagesAreDroppedAndReleaseItsBudget() {
    FrameLink link = new FrameLink(true);
    Session session = new Session(link, Role.CLIENT);
    outbox.joinTurnsOf(Thread.currentThread());

    outbox.write(session, message(1));
    outbox.write(session, message(2));
    session.end();
    outbox.endTurn();

    assertEquals(List.of(), link.frames);
    assertEquals(0, session.budget().outboundFrames());
    assertEquals(0, session.budget().outboundBytes());
  }
}
