package io.soulgraph.graph.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;

/**
 * A node's durable HAM entries as its vertex holds them: spread over {@code %h:<bucket>}
 * properties by field name ({@link FieldNames#entryKey}; the layout written now), or, on a vertex
 * not written since the store was made by an older version, the whole-node {@code %ham} record.
 * Both have the same form ({@link EntryCodec#readEntries}) and are read in the one slice of the
 * vertex's properties. A vertex still holding a record is migrated by its next write
 * ({@link TxWriter}).
 *
 * @param entries the fields' entries
 * @param legacyRecord whether the vertex still holds a whole-node {@code %ham} record
 */
record StoredEntries(Map<String, FieldEntry> entries, boolean legacyRecord) {

  static StoredEntries of(Vertex vertex) {
    Map<String, FieldEntry> buckets = new LinkedHashMap<>();
    Map<String, FieldEntry> record = null;
    for (Iterator<VertexProperty<Object>> it = vertex.properties(); it.hasNext(); ) {
      VertexProperty<Object> property = it.next();
      String key = property.key();
      if (FieldNames.isEntryKey(key)) {
        buckets.putAll(EntryCodec.readEntries((String) property.value()));
      } else if (key.equals(JanusBackend.ENTRIES) && isRecord((String) property.value())) {
        record = EntryCodec.readEntries((String) property.value());
      }
    }
    if (record == null) {
      return new StoredEntries(buckets, false);
    }
    record.putAll(buckets);
    return new StoredEntries(record, true);
  }

  /**
   * Whether a {@code %ham} value is a whole-node record. On a shared cluster {@code %ham} now holds
   * the stamp of the vertex's last commit instead (what JanusGraph's lock checks), never JSON.
   */
  static boolean isRecord(String text) {
    return text.startsWith("{");
  }
}
