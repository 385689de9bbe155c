package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class FieldNamesTest {

  static final int EXAMPLES = Integer.getInteger("proptests.examples", 1000);
  static final Set<String> JANUS_RESERVED =
      Set.of("key", "label", "id", "value", "vertex", "edge", "element", "property");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "name|name", "with space|with space", "soul|%!soul", "SOUL|%!SOUL", "Key|%!Key",
    "~tilde|%7Etilde", "a~b|a~b", "{x}|%7Bx%7D", "q\"|q%22", "%|%25", "%!soul|%25!soul",
    "' '|%20", "'\u3000'|%u3000",
  })
  void escape_knownNames_giveDocumentedForms(String field, String expected) {
    String f = field.startsWith("'") ? field.substring(1, field.length() - 1) : field;
    assertEquals(expected, FieldNames.escape(f));
    assertEquals(f, FieldNames.unescape(expected));
  }

  @Test
  void escape_anyString_roundTripsAndIsAcceptableToJanusGraph() {
    qt().withExamples(EXAMPLES)
        .forAll(strings().allPossible().ofLengthBetween(1, 12))
        .checkAssert(field -> {
          String name = FieldNames.escape(field);
          assertEquals(field, FieldNames.unescape(name));
          assertFalse(name.isBlank(), name);
          assertFalse(name.startsWith("~"), name);
          assertFalse(name.matches("(?s).*[{}\"\u001e].*"), name);
          assertFalse(JANUS_RESERVED.contains(name.toLowerCase(Locale.ROOT)), name);
          assertFalse(name.equals("soul") || name.startsWith("%ham") || name.startsWith("%meta")
              || name.startsWith("%context") || name.startsWith("%:") || name.startsWith("%>")
              || name.startsWith(FieldNames.ENTRY_PREFIX), name);
          assertTrue(FieldNames.isEntryKey(FieldNames.entryKey(field)));
          assertFalse(FieldNames.isEntryKey(name), name);
        });
  }

  @Test
  void entryKey_isABucketOfTheName_theSameInEveryJvm() {
    // String.hashCode is specified, so a store reopened by another JVM finds the same buckets
    assertEquals("%h:" + Math.floorMod("name".hashCode(), FieldNames.ENTRY_BUCKETS),
        FieldNames.entryKey("name"));
    assertEquals("%h:" + Math.floorMod(3373707, 1024), FieldNames.entryKey("name"));
    assertTrue(FieldNames.entryKey("\u3000\u0000{weird}").matches("%h:[0-9]{1,4}"));
  }

  @Test
  void byEntryBucket_bringsTheFieldsOfOneEntryPropertyTogether() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5000; i++) { // several fields to a bucket, as on a node that wide
      names.add("f" + i);
    }
    names.sort(FieldNames.BY_ENTRY_BUCKET);
    Set<String> passed = new HashSet<>();
    String current = null;
    for (String name : names) {
      String key = FieldNames.entryKey(name);
      if (!key.equals(current)) {
        assertTrue(passed.add(key), key + " comes again after other buckets: " + name);
        current = key;
      }
    }
    assertTrue(passed.size() > 500, passed.size() + " buckets");
  }
}
