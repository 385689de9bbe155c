package io.soulgraph.relay.gun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code err} a client gets for a bad frame names the problem in the terms of the JSON it
 * sent, where the problem is, and nothing of the parser (Jackson's token names and classes).
 */
final class WireErrorsTest {

  private final GunCodec codec = new GunCodec(GunLimits.defaults());

  private String errorFor(String frame) {
    return assertThrows(
            GunException.BadFrame.class,
            () -> codec.decodeFrame(frame).forEach(message -> codec.decode(message, "fresh")))
        .getMessage();
  }

  @Test
  void truncatedFrame_saysItEndsEarly() {
    assertEquals(
        "Expected complete JSON but the frame ends early, after character 9",
        errorFor("{\"#\":\"ab\""));
  }

  @Test
  void strayCharacter_namesItAndWhere() {
    assertEquals(
        "Expected JSON but the frame is not valid JSON at character 6 ('x')",
        errorFor("{\"#\":x}"));
  }

  @Test
  void twoValues_saysTheFrameGoesOn() {
    assertEquals(
        "Expected one JSON value but the frame goes on after it at character 9 ('{')",
        errorFor("{\"a\":1} {\"b\":2}"));
  }

  @Test
  void tooDeep_namesTheLimit() {
    String deep = "[".repeat(100) + "]".repeat(100);
    assertEquals(
        "Expected JSON nesting at most 64 levels deep but the frame goes deeper", errorFor(deep));
  }

  @Test
  void wrongTypes_areNamedAsInJavaScript() {
    assertEquals(
        "Expected a message object or an array but received a string", errorFor("\"hello\""));
    assertEquals(
        "Expected put to be an object but received a number", errorFor("{\"#\":\"p\",\"put\":5}"));
    assertEquals(
        "Expected '#' to be a string but received a boolean", errorFor("{\"#\":true}"));
    assertEquals(
        "Expected message objects in the array but received an array", errorFor("[[1]]"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"#\":\"ab\"", "{\"#\":x}", "{\"a\":1} {\"b\":2}", "[1,", "{'#':'single'}",
          "{\"#\":\"\u0001", "nul", "{\"put\":{\"a\":{]}}"})
  void noParserInternals_inAnyMessage(String frame) {
    String message = errorFor(frame);
    for (String internal :
        List.of("Jackson", "Source", "REDACTED", "token", "START_", "END_", "code ", "JsonToken",
            "StreamReadConstraints", "ARRAY", "OBJECT", "marker")) {
      assertFalse(message.contains(internal), "'" + internal + "' in: " + message);
    }
  }
}
