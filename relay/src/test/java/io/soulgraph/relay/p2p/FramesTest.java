package io.soulgraph.relay.p2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class FramesTest {

  @Test
  void encode_prefixesTheUtf8LengthAsAnUnsignedVarint() {
    assertArrayEquals(new byte[] {2, 'h', 'i'}, Frames.encode("hi"));
    byte[] long300 = Frames.encode("x".repeat(300));
    assertEquals((byte) 0xac, long300[0]); // 300 = 0b10_0101100 -> 0xac 0x02, as libp2p writes it
    assertEquals((byte) 0x02, long300[1]);
    assertEquals(302, long300.length);
    assertEquals(3, Frames.encode("é").length); // length counts UTF-8 bytes, not chars
  }

  @Test
  void decoder_reassemblesFramesSplitAnywhere() throws Exception {
    List<String> sent = List.of("", "{\"#\":\"a\"}", "ünï©ødé ✓", "y".repeat(70_000), "[]");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (String frame : sent) {
      all.writeBytes(Frames.encode(frame));
    }
    byte[] bytes = all.toByteArray();
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      Frames.Decoder decoder = new Frames.Decoder(1 << 20);
      List<String> received = new ArrayList<>();
      int at = 0;
      while (at < bytes.length) {
        int size = Math.min(bytes.length - at, 1 + random.nextInt(trial % 2 == 0 ? 4 : 9000));
        byte[] piece = new byte[size];
        System.arraycopy(bytes, at, piece, 0, size);
        received.addAll(decoder.feed(piece));
        at += size;
      }
      assertEquals(sent, received);
      assertEquals(0, decoder.pendingBytes());
    }
  }

  @Test
  void decoder_refusesAFrameOverTheLimitBeforeBufferingIt() {
    Frames.Decoder decoder = new Frames.Decoder(1000);
    byte[] header = {(byte) 0xe9, 0x07}; // 1001
    Frames.FramingException e =
        assertThrows(Frames.FramingException.class, () -> decoder.feed(header));
    assertTrue(e.getMessage().contains("1001 bytes exceeds the limit of 1000"), e.getMessage());
  }

  @Test
  void decoder_refusesALengthThatIsNoVarint() {
    Frames.Decoder decoder = new Frames.Decoder(Integer.MAX_VALUE);
    byte[] endless = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
    assertThrows(Frames.FramingException.class, () -> decoder.feed(endless));
  }
}
