package io.soulgraph.libp2p.internal.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.soulgraph.libp2p.Libp2pException.NoSuchRemoteProtocolException;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class MultistreamNegotiatorTest {
  @Test
  void encode_noiseProposal_matchesWireCapture() {
    // The 28 cleartext bytes js sends as dialer (wire notes): header then /noise.
    assertEquals("132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a",
        HexFormat.of().formatHex(MultistreamCodec.encode("/multistream/1.0.0", "/noise")));
  }

  /** Runs a dialer against a listener, delivering bytes in random-sized pieces. */
  private static String negotiate(List<String> proposals, List<String> supported, long seed) {
    Random rnd = new Random(seed);
    MultistreamNegotiator d = MultistreamNegotiator.dialer(proposals);
    MultistreamNegotiator l = MultistreamNegotiator.listener(() -> supported);
    ByteBuf toL = Unpooled.buffer().writeBytes(d.start());
    ByteBuf toD = Unpooled.buffer().writeBytes(l.start());
    ByteBuf inL = Unpooled.buffer();
    ByteBuf inD = Unpooled.buffer();
    for (int round = 0; round < 1000 && !(d.isDone() && l.isDone()); round++) {
      int n = Math.min(toL.readableBytes(), 1 + rnd.nextInt(4));
      inL.writeBytes(toL, n);
      toD.writeBytes(l.onData(inL));
      int m = Math.min(toD.readableBytes(), 1 + rnd.nextInt(4));
      inD.writeBytes(toD, m);
      toL.writeBytes(d.onData(inD));
    }
    assertEquals(d.selected(), l.selected());
    return d.selected();
  }

  @Test
  void onData_splitAnywhere_agreesOnFirstSupported() {
    for (long seed = 0; seed < 200; seed++) {
      assertEquals("/b/1", negotiate(List.of("/a/1", "/b/1", "/c/1"),
          List.of("/c/1", "/b/1"), seed), "seed " + seed);
    }
  }

  @Test
  void onData_listenerKnowsNone_dialerFailsWithNoSuchRemoteProtocol() {
    assertThrows(NoSuchRemoteProtocolException.class,
        () -> negotiate(List.of("/a/1"), List.of("/z/1"), 1));
  }

  @Test
  void onData_listenerBeforeHeader_sendsNothing() {
    MultistreamNegotiator l = MultistreamNegotiator.listener(() -> List.of("/x"));
    assertEquals(0, l.start().length);
    ByteBuf partial = Unpooled.wrappedBuffer(new byte[] {0x13, '/'});
    assertEquals(0, l.onData(partial).length);
    assertEquals(0, partial.readerIndex(), "an incomplete message is not consumed");
    assertNull(l.selected());
  }

  @Test
  void onData_bytesAfterSelection_areLeftForTheProtocol() {
    MultistreamNegotiator l = MultistreamNegotiator.listener(() -> List.of("/x"));
    ByteBuf in = Unpooled.buffer().writeBytes(MultistreamCodec.encode("/multistream/1.0.0", "/x"))
        .writeBytes(new byte[] {42, 43});
    l.onData(in);
    assertTrue(l.isDone());
    assertEquals(2, in.readableBytes());
  }

  @Test
  void onData_ls_listsProtocolsThenStillNegotiates() {
    MultistreamNegotiator l = MultistreamNegotiator.listener(() -> List.of("/x", "/y"));
    byte[] answer = l.onData(Unpooled.wrappedBuffer(
        MultistreamCodec.encode("/multistream/1.0.0", "ls")));
    String text = new String(answer, java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("/x\n") && text.contains("/y\n"), text);
    assertFalse(l.isDone());
  }

  @Test
  void onData_garbage_throwsProtocolViolation() {
    MultistreamNegotiator l = MultistreamNegotiator.listener(() -> List.of("/x"));
    assertThrows(ProtocolViolationException.class,
        () -> l.onData(Unpooled.wrappedBuffer(MultistreamCodec.encode("/multistream/2.0.0"))));
    MultistreamNegotiator l2 = MultistreamNegotiator.listener(() -> List.of("/x"));
    assertThrows(ProtocolViolationException.class, // length 0xffff, far over 1025
        () -> l2.onData(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, 3})));
    MultistreamNegotiator l3 = MultistreamNegotiator.listener(() -> List.of("/x"));
    assertThrows(ProtocolViolationException.class, // no trailing newline
        () -> l3.onData(Unpooled.wrappedBuffer(new byte[] {2, 'a', 'b'})));
  }

  @Test
  void onData_endlessRefusedProposals_listenerGivesUp() {
    MultistreamNegotiator l = MultistreamNegotiator.listener(() -> List.of("/x"));
    l.onData(Unpooled.wrappedBuffer(MultistreamCodec.encode("/multistream/1.0.0")));
    ByteBuf in = Unpooled.buffer();
    for (int i = 0; i <= MultistreamNegotiator.MAX_PROPOSALS; i++) {
      in.writeBytes(MultistreamCodec.encode("/nope/" + i));
    }
    assertThrows(ProtocolViolationException.class, () -> l.onData(in));
  }
}
