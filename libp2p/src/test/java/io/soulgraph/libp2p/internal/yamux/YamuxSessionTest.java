package io.soulgraph.libp2p.internal.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.StreamListener;
import io.soulgraph.libp2p.internal.multistream.MultistreamCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The yamux state machine driven frame by frame, with no sockets. */
final class YamuxSessionTest {
  private final List<Stream> accepted = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  private EmbeddedChannel session(int maxStreams) {
    return new EmbeddedChannel(new YamuxSession(true, maxStreams, new StreamAcceptor() {
      @Override
      public List<String> protocols() {
        return List.of("/sink");
      }

      @Override
      public void accept(Stream s) {
        accepted.add(s);
        s.setListener(new StreamListener() {
          @Override
          public void onData(Stream st, byte[] data) {
            events.add("data " + data.length);
          }

          @Override
          public void onReset(Stream st) {
            events.add("reset");
          }
        });
      }
    }));
  }

  private static List<YamuxFrame> drain(EmbeddedChannel ch) {
    List<YamuxFrame> out = new ArrayList<>();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      out.add((YamuxFrame) o);
    }
    return out;
  }

  private static long dataBytes(List<YamuxFrame> frames) {
    return frames.stream().filter(f -> f.type() == YamuxFrame.DATA).mapToLong(f -> f.length())
        .sum();
  }

  @Test
  void write_beyondWindow_waitsForWindowUpdate() throws Exception {
    EmbeddedChannel ch = session(8);
    YamuxSession s = (YamuxSession) ch.pipeline().first();
    CompletableFuture<Stream> opened = s.open(List.of("/x"));
    List<YamuxFrame> first = drain(ch);
    assertEquals(YamuxFrame.WINDOW_UPDATE, first.get(0).type());
    assertEquals(YamuxFrame.SYN, first.get(0).flags());
    assertEquals(1, first.get(0).streamId(), "the dialer uses odd ids");
    long negotiation = dataBytes(first);
    ch.writeInbound(YamuxFrame.data(1, YamuxFrame.ACK,
        MultistreamCodec.encode("/multistream/1.0.0", "/x")));
    Stream stream = opened.getNow(null);
    CompletableFuture<Void> written = stream.write(new byte[600 * 1024]);
    assertEquals(YamuxSession.INITIAL_WINDOW - negotiation, dataBytes(drain(ch)));
    assertFalse(written.isDone(), "the rest waits for credit");
    ch.writeInbound(YamuxFrame.windowUpdate(1, 0, 100_000));
    assertEquals(100_000, dataBytes(drain(ch)));
    ch.writeInbound(YamuxFrame.windowUpdate(1, 0, 1 << 20));
    drain(ch);
    assertTrue(written.isDone());
  }

  @Test
  void onData_consumed_grantsWindowBack() {
    EmbeddedChannel ch = session(8);
    byte[] open = MultistreamCodec.encode("/multistream/1.0.0", "/sink");
    ch.writeInbound(YamuxFrame.data(2, YamuxFrame.SYN, open));
    assertEquals(1, accepted.size());
    List<YamuxFrame> reply = drain(ch);
    assertEquals(YamuxFrame.ACK, reply.get(0).flags());
    assertEquals(YamuxSession.RECEIVE_WINDOW - YamuxSession.INITIAL_WINDOW,
        reply.get(0).length(), "the ACK grants our larger window at once");
    ch.writeInbound(YamuxFrame.data(2, 0, new byte[300_000]));
    assertEquals(0, drain(ch).size(), "under half the window consumed: no update yet");
    ch.writeInbound(YamuxFrame.data(2, 0, new byte[300_000]));
    assertEquals(List.of("data 300000", "data 300000"), events);
    long granted = drain(ch).stream().filter(f -> f.type() == YamuxFrame.WINDOW_UPDATE)
        .mapToLong(f -> f.length()).sum();
    assertEquals(600_000 + open.length, granted);
  }

  @Test
  void onData_overWindow_isProtocolViolation() {
    EmbeddedChannel ch = session(8);
    ch.writeInbound(YamuxFrame.data(2, YamuxFrame.SYN,
        MultistreamCodec.encode("/multistream/1.0.0", "/sink")));
    // Nothing was consumed back yet beyond the grant, so a full window more is too much.
    assertThrows(ProtocolViolationException.class,
        () -> ch.writeInbound(YamuxFrame.data(2, 0, new byte[YamuxSession.RECEIVE_WINDOW])));
  }

  @Test
  void onSyn_overStreamLimit_isRefusedWithRst() {
    EmbeddedChannel ch = session(2);
    for (int id = 2; id <= 6; id += 2) {
      ch.writeInbound(YamuxFrame.windowUpdate(id, YamuxFrame.SYN, 0));
    }
    List<YamuxFrame> out = drain(ch);
    assertTrue(out.stream().anyMatch(f -> f.streamId() == 6 && f.hasFlag(YamuxFrame.RST)));
    assertFalse(out.stream().anyMatch(f -> f.streamId() == 4 && f.hasFlag(YamuxFrame.RST)));
  }

  @Test
  void onSyn_wrongParity_isProtocolViolation() {
    EmbeddedChannel ch = session(8);
    assertThrows(ProtocolViolationException.class,
        () -> ch.writeInbound(YamuxFrame.windowUpdate(3, YamuxFrame.SYN, 0)));
  }

  @Test
  void onPing_syn_isAnsweredWithAckAndSameOpaque() {
    EmbeddedChannel ch = session(8);
    ch.writeInbound(YamuxFrame.ping(YamuxFrame.SYN, 77));
    YamuxFrame pong = drain(ch).get(0);
    assertEquals(YamuxFrame.PING, pong.type());
    assertEquals(YamuxFrame.ACK, pong.flags());
    assertEquals(77, pong.length());
  }

  @Test
  void onRst_andGoAway_resetStreamsAndClose() {
    EmbeddedChannel ch = session(8);
    byte[] open = MultistreamCodec.encode("/multistream/1.0.0", "/sink");
    ch.writeInbound(YamuxFrame.data(2, YamuxFrame.SYN, open));
    ch.writeInbound(YamuxFrame.data(2, YamuxFrame.RST, new byte[0]));
    assertEquals(List.of("reset"), events);
    ch.writeInbound(YamuxFrame.data(4, YamuxFrame.SYN, open));
    ch.writeInbound(YamuxFrame.goAway(YamuxFrame.GO_AWAY_NORMAL));
    assertFalse(ch.isActive());
    assertEquals(List.of("reset", "reset"), events);
  }
}
