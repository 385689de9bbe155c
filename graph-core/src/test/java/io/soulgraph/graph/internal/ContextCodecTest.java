package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.VectorClock;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The persisted {@code %context}: the compact cloud round-trips and the old form still opens. */
class ContextCodecTest {

  @Test
  void readContext_oldFormatWithACloudOfDotPairs_opensWithTheSameDots() {
    String old = "{\"n\":12,\"v\":{\"me\":12,\"p\":3},"
        + "\"c\":[[\"p\",5],[\"p\",7],[\"q\",2],[\"p\",4]]}";
    CausalContext context = EntryCodec.readContext(old);
    assertEquals(12, EntryCodec.readCounter(old));
    assertEquals(VectorClock.of(Map.of("me", 12L, "p", 5L)), context.vector());
    assertEquals(Set.of(new Dot("p", 7), new Dot("q", 2)), context.cloud());
  }

  @Test
  void writeContext_largeScatteredCloud_roundTripsAndStaysSmall() {
    Random random = new Random(3L);
    CausalContext context = new CausalContext();
    for (long c = 2; c <= 100_000; c++) {
      if (random.nextBoolean()) {
        context.add(new Dot("p", c));
      }
    }
    context.add(new Dot("q", 1L << 40));
    context.add(new Dot("q", 1));
    String text = EntryCodec.writeContext(context, 42);
    CausalContext read = EntryCodec.readContext(text);
    assertEquals(context, read);
    assertEquals(42, EntryCodec.readCounter(text));
    assertTrue(text.length() < 20_000, "about 17 kB for 100,000 counters, was " + text.length());
  }

  @Test
  void writeContext_emptyCloud_roundTrips() {
    CausalContext context = new CausalContext(VectorClock.of(Map.of("p", 9L)), Set.of());
    assertEquals(context, EntryCodec.readContext(EntryCodec.writeContext(context, 0)));
  }
}
