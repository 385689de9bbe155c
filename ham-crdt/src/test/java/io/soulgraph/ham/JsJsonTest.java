package io.soulgraph.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class JsJsonTest {

  /* Expected texts are what node 20 prints for JSON.stringify(x). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | 0",
        "-0.0 | 0",
        "1 | 1",
        "-42 | -42",
        "3.5 | 3.5",
        "0.1 | 0.1",
        "0.30000000000000004 | 0.30000000000000004",
        "1795287994030.001 | 1795287994030.001",
        "1795288457261.003 | 1795288457261.003",
        "1e20 | 100000000000000000000",
        "1e21 | 1e+21",
        "1.5e21 | 1.5e+21",
        "123456789012345680000 | 123456789012345680000",
        "1152921504606846976 | 1152921504606847000",
        "9007199254740993 | 9007199254740992",
        "1e-6 | 0.000001",
        "1e-7 | 1e-7",
        "-1.5e-9 | -1.5e-9",
        "1.7976931348623157e308 | 1.7976931348623157e+308",
        "4.9e-324 | 5e-324",
        "2e23 | 2e+23",
        "5e-7 | 5e-7",
        "1.2345e-7 | 1.2345e-7",
        "123e-20 | 1.23e-18",
      })
  void number_matchesJavaScript(double x, String expected) {
    assertEquals(expected, JsJson.number(x));
  }

  @Test
  void number_nonFinite_isNullAsInJavaScript() {
    assertEquals("null", JsJson.number(Double.NaN));
    assertEquals("null", JsJson.number(Double.POSITIVE_INFINITY));
  }

  @Test
  void quote_controlCharacters_useShortFormsOrLowercaseHex() {
    assertEquals("\"a\\nb\\tc\\r\\b\\f\"", JsJson.quote("a\nb\tc\r\b\f"));
    assertEquals("\"\\u0000\\u001f\\u001b\"", JsJson.quote("\u0000\u001f\u001b"));
  }

  @Test
  void unquote_invertsQuote_forEveryCharAndMixedStrings() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String s = "a" + c + "b" + c; // a lone surrogate too, where c is one
      assertEquals(s, JsJson.unquote(JsJson.quote(s)), () -> "char " + (int) s.charAt(1));
    }
    String parts = "\"\\/\b\f\n\r\t\u0000\u001f\u007f\ud83d\ude00\ud800\udc00éx ";
    java.util.Random random = new java.util.Random(15);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        s.append(parts.charAt(random.nextInt(parts.length())));
      }
      assertEquals(s.toString(), JsJson.unquote(JsJson.quote(s.toString())));
    }
  }

  @Test
  void stringValue_decodesItsText_andEqualsByIt() {
    Value value = Value.of("say \"hi\"\n\ud800");
    assertEquals("say \"hi\"\n\ud800", value.asString());
    assertEquals("\"say \\\"hi\\\"\\n\\ud800\"", value.json());
    assertEquals(Value.of(new String(value.asString().toCharArray())), value);
    Value link = Value.link("a\"b\\c");
    assertEquals("a\"b\\c", link.linkSoul());
    assertEquals("{\"#\":\"a\\\"b\\\\c\"}", link.json());
  }

  @Test
  void quote_quotesAndBackslashes_areEscaped() {
    assertEquals("\"say \\\"hi\\\" \\\\o/\"", JsJson.quote("say \"hi\" \\o/"));
  }

  @Test
  void quote_nonAsciiAndDelAndLineSeparators_stayLiteral() {
    String s = "é中\u007f\u2028\u2029😀/";
    assertEquals("\"" + s + "\"", JsJson.quote(s));
  }

  @Test
  void quote_loneSurrogates_areEscapedLowercase() {
    assertEquals("\"\\ud800x\\udfff\"", JsJson.quote("\ud800x\udfff"));
    assertEquals("\"\\udc00\\ud83d\"", JsJson.quote("\udc00\ud83d"));
  }
}
