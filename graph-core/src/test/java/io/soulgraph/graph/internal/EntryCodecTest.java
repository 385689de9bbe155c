package io.soulgraph.graph.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

  private static Map<String, FieldEntry> everyKind() {
    Map<String, FieldEntry> entries = new LinkedHashMap<>();
    Dot dot = new Dot("3f2c-replica", 17);
    entries.put("name", new FieldEntry(new FieldState(Value.of("Alice \"A\" ☃\n"), 1795287911420.001), dot));
    entries.put("age", new FieldEntry(new FieldState(Value.of(42), 1), new Dot("r", Long.MAX_VALUE)));
    entries.put("neg", new FieldEntry(new FieldState(Value.of(-0.0), -0.0), dot));
    entries.put("tiny", new FieldEntry(new FieldState(Value.of(5e-324), 1e21), dot));
    entries.put("yes", new FieldEntry(new FieldState(Value.TRUE, 2), dot));
    entries.put("no", new FieldEntry(new FieldState(Value.FALSE, 2), dot));
    entries.put("gone", new FieldEntry(new FieldState(Value.NULL, 3), dot));
    entries.put("friend", new FieldEntry(new FieldState(Value.link("bob"), 4), dot));
    entries.put("%25{odd}\u001e", new FieldEntry(new FieldState(Value.of(""), 5), dot));
    return entries;
  }

  @Test
  void entries_roundTrip_everyValueKindStateAndDot() {
    Map<String, FieldEntry> entries = everyKind();
    Map<String, FieldEntry> read = EntryCodec.readEntries(EntryCodec.writeEntries(entries));
    assertEquals(entries, read);
    assertEquals(List.copyOf(entries.keySet()), List.copyOf(read.keySet()));
  }

  @Test
  void entries_writtenByTheEarlierTreeCodec_readTheSame() throws Exception {
    // records already on disk were written through a Jackson tree; the streaming reader must
    // read them exactly as the tree reader did
    ObjectNode root = new ObjectMapper().createObjectNode();
    everyKind().forEach((field, entry) -> {
      ArrayNode row = root.putArray(field);
      row.add(ValueCodec.toJson(entry.fieldState().value()));
      row.add(entry.fieldState().state());
      row.add(entry.dot().replica());
      row.add(entry.dot().counter());
    });
    String stored = new ObjectMapper().writeValueAsString(root);
    assertEquals(everyKind(), EntryCodec.readEntries(stored));
    assertEquals(stored, EntryCodec.writeEntries(everyKind()));
  }

  @Test
  void entries_emptyAndMalformed() {
    assertEquals(Map.of(), EntryCodec.readEntries(EntryCodec.writeEntries(Map.of())));
    assertThrows(IllegalStateException.class, () -> EntryCodec.readEntries("{\"a\": [1, 2]}"));
    assertThrows(IllegalStateException.class, () -> EntryCodec.readEntries("{\"a\": [[1], 2, \"r\", 1]}"));
    assertThrows(IllegalStateException.class, () -> EntryCodec.readEntries("[]"));
  }
}
