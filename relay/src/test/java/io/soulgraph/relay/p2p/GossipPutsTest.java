package io.soulgraph.relay.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class GossipPutsTest {

  private static Optional<String> problem(String message) {
    return GossipPuts.problem(message.getBytes(StandardCharsets.UTF_8), 4096);
  }

  @Test
  void aPutAsTheRelaySendsIt_passes() {
    assertEquals(Optional.empty(), problem(
        "{\"#\":\"m1\",\"put\":{\"alice\":{\"_\":{\"#\":\"alice\",\">\":{\"name\":1700000000000.5,"
            + "\"friend\":1,\"gone\":2,\"n\":3,\"ok\":4}},\"name\":\"Alice\",\"friend\":{\"#\":\"bob\"},"
            + "\"gone\":null,\"n\":42,\"ok\":true}}}"));
    assertEquals(Optional.empty(), problem(
        "{\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{}}}}}"));
  }

  @Test
  void malformedMessages_sayWhatIsWrong() {
    assertTrue(problem("not json").orElseThrow().startsWith("not JSON"));
    assertEquals("not a JSON object", problem("[1]").orElseThrow());
    assertEquals("no put object", problem("{\"#\":\"x\"}").orElseThrow());
    assertTrue(problem("{\"get\":{\"#\":\"a\"}}").orElseThrow().contains("unexpected key \"get\""));
    assertTrue(problem("{\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{}}}},\"@\":\"x\"}")
        .orElseThrow().contains("unexpected key \"@\""));
    assertTrue(problem("{\"put\":{\"a\":{\"_\":{\"#\":\"b\",\">\":{}}}}}").orElseThrow()
        .contains("whose # is its soul"));
    assertTrue(problem("{\"put\":{\"a\":{\"_\":{\"#\":\"a\"},\"x\":1}}}").orElseThrow()
        .contains("no states"));
    assertTrue(problem("{\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{}},\"x\":1}}}").orElseThrow()
        .contains("a.x has no numeric state"));
    assertTrue(problem("{\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":\"1\"}},\"x\":1}}}")
        .orElseThrow().contains("a.x has no numeric state"));
    assertTrue(problem("{\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":1}},\"x\":{\"y\":1}}}}")
        .orElseThrow().contains("neither a primitive nor a link"));
    assertTrue(problem("{\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{\"x\":1}},\"x\":[1]}}}")
        .orElseThrow().contains("neither a primitive nor a link"));
    assertTrue(problem("[".repeat(3000)).orElseThrow().startsWith("not JSON"));
    assertTrue(problem("{\"put\":{\"a\":{\"_\":{\"#\":\"a\",\">\":{}}}}} trailing")
        .orElseThrow().startsWith("not JSON"));
  }

  @Test
  void aMessageOverTheSizeLimit_isRefusedUnparsed() {
    byte[] big = new byte[5000];
    assertEquals("5000 bytes, over the limit of 4096", GossipPuts.problem(big, 4096).orElseThrow());
  }
}
