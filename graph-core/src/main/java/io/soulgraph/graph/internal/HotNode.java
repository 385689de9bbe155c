package io.soulgraph.graph.internal;

import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * What the hot index holds for one soul: its vertex id (null if the soul has no vertex) and its
 * committed field entries, in the order they were first written. Immutable; the {@link Node} view
 * is built once, on first read, so hot reads allocate nothing.
 *
 * <p>The fields are kept in parallel arrays, not a map of {@link FieldEntry} records: the index
 * holds much of the relay's heap, and a map entry, a {@code FieldEntry}, a {@code FieldState} and a
 * {@code Dot} per field were 112 of the ~280 bytes a hot field cost. {@link #fields()} is a map view
 * that makes the records when asked for one.
 */
final class HotNode {

  static final HotNode ABSENT = new HotNode(null, Map.of());

  /** Up to this many fields, a lookup scans the names; past it, a hash table of indexes is kept. */
  private static final int SCAN_LIMIT = 16;

  private final Object vertexId;
  /** Whether the vertex still holds an older version's whole-node record (its next write migrates it). */
  private final boolean legacyRecord;
  private final String[] names;
  private final Value[] values;
  private final double[] states;
  private final String[] dotReplicas;
  private final long[] dotCounters;
  /** Open addressing: a slot holds a field's index + 1, 0 when empty; null for small nodes. */
  private final int[] slots;
  /**
   * The estimated heap bytes of the fields ({@link Weights#field}), kept as commits are laid over:
   * summing them on every commit cost a wide node's writer time in proportion to its width.
   */
  private final long fieldBytes;
  private final Map<String, FieldEntry> fieldsView = new FieldsView();
  private Node node; // a benign race: Node is immutable, so any thread's copy is the same value

  HotNode(Object vertexId, Map<String, FieldEntry> fields) {
    this(vertexId, fields, false);
  }

  HotNode(Object vertexId, Map<String, FieldEntry> fields, boolean legacyRecord) {
    this(vertexId, legacyRecord, fields.size(), bytesOf(fields));
    int i = 0;
    for (Map.Entry<String, FieldEntry> e : fields.entrySet()) {
      set(i++, e.getKey(), e.getValue());
    }
    index(0);
  }

  private HotNode(Object vertexId, boolean legacyRecord, int size, long fieldBytes) {
    this.vertexId = vertexId;
    this.legacyRecord = legacyRecord;
    this.fieldBytes = fieldBytes;
    this.names = new String[size];
    this.values = new Value[size];
    this.states = new double[size];
    this.dotReplicas = new String[size];
    this.dotCounters = new long[size];
    this.slots = size > SCAN_LIMIT ? new int[Integer.highestOneBit(size * 2 - 1) << 1] : null;
  }

  boolean legacyRecord() {
    return legacyRecord;
  }

  Object vertexId() {
    return vertexId;
  }

  /** The committed fields, by name, in the order they were first written; unmodifiable. */
  Map<String, FieldEntry> fields() {
    return fieldsView;
  }

  /**
   * This node with {@code changed} entries laid over it (a commit, which also migrated it). Its
   * cost grows with the node's width only by copying arrays: a wide node written in pieces is
   * merged once per piece.
   */
  HotNode merge(Object newVertexId, Map<String, FieldEntry> changed) {
    int size = names.length;
    int[] positions = new int[changed.size()];
    int next = size;
    int k = 0;
    long bytes = fieldBytes;
    for (Map.Entry<String, FieldEntry> e : changed.entrySet()) {
      int at = indexOf(e.getKey());
      if (at >= 0) {
        bytes -= Weights.field(names[at], values[at]);
      }
      bytes += Weights.field(e.getKey(), e.getValue().fieldState());
      positions[k++] = at >= 0 ? at : next++;
    }
    HotNode merged = new HotNode(newVertexId != null ? newVertexId : vertexId, false, next, bytes);
    System.arraycopy(names, 0, merged.names, 0, size);
    System.arraycopy(values, 0, merged.values, 0, size);
    System.arraycopy(states, 0, merged.states, 0, size);
    System.arraycopy(dotReplicas, 0, merged.dotReplicas, 0, size);
    System.arraycopy(dotCounters, 0, merged.dotCounters, 0, size);
    k = 0;
    for (Map.Entry<String, FieldEntry> e : changed.entrySet()) {
      merged.set(positions[k++], e.getKey(), e.getValue());
    }
    if (slots != null && merged.slots.length == slots.length) {
      System.arraycopy(slots, 0, merged.slots, 0, slots.length);
      merged.index(size); // the old names keep their slots; only the new ones are placed
    } else {
      merged.index(0);
    }
    return merged;
  }

  Node toNode(String soul) {
    Node built = node;
    if (built == null) {
      Map<String, FieldState> fieldStates = new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        fieldStates.put(names[i], new FieldState(values[i], states[i]));
      }
      built = new Node(soul, fieldStates);
      node = built;
    }
    return built;
  }

  private static long bytesOf(Map<String, FieldEntry> fields) {
    long bytes = 0;
    for (Map.Entry<String, FieldEntry> e : fields.entrySet()) {
      bytes += Weights.field(e.getKey(), e.getValue().fieldState());
    }
    return bytes;
  }

  /** Its weight in the bounded index: the estimated heap bytes of its soul and fields. */
  int weight(String soul) {
    return (int) Math.min(Integer.MAX_VALUE, 96 + 2L * soul.length() + fieldBytes);
  }

  /**
   * Visits, in order, the fields whose names {@code wanted} accepts, making a {@link FieldEntry}
   * only for those: a commit to a wide node needs the few that share its changed fields' entry
   * buckets.
   */
  void forEachField(Predicate<String> wanted, BiConsumer<String, FieldEntry> action) {
    for (int i = 0; i < names.length; i++) {
      if (wanted.test(names[i])) {
        action.accept(names[i], entry(i));
      }
    }
  }

  private void set(int i, String name, FieldEntry entry) {
    names[i] = name;
    values[i] = entry.fieldState().value();
    states[i] = entry.fieldState().state();
    Dot dot = entry.dot();
    dotReplicas[i] = dot == null ? null : dot.replica();
    dotCounters[i] = dot == null ? 0 : dot.counter();
  }

  private FieldEntry entry(int i) {
    String replica = dotReplicas[i];
    return new FieldEntry(new FieldState(values[i], states[i]),
        replica == null ? null : new Dot(replica, dotCounters[i]));
  }

  /** Places the names from {@code from} on in the hash table (wide nodes only). */
  private void index(int from) {
    if (slots == null) {
      return;
    }
    int mask = slots.length - 1;
    for (int i = from; i < names.length; i++) {
      int slot = slotOf(names[i], mask);
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = i + 1;
    }
  }

  /**
   * A name's first slot: its hash mixed, since names like {@code item1, item2, …} have
   * {@link String#hashCode}s in runs of consecutive values, and their runs, placed by the low bits
   * as they are, merged into probe sequences of 20-30 slots (a 16,000-field node of such names:
   * 21 probes a lookup on average, 1.5 mixed).
   */
  private static int slotOf(Object name, int mask) {
    int h = name.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }

  private int indexOf(Object name) {
    if (!(name instanceof String)) {
      return -1;
    }
    if (slots == null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }
    int mask = slots.length - 1;
    for (int slot = slotOf(name, mask); slots[slot] != 0; slot = (slot + 1) & mask) {
      int i = slots[slot] - 1;
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The fields as an unmodifiable map, each {@link FieldEntry} made when it is asked for. */
  private final class FieldsView extends AbstractMap<String, FieldEntry> {

    @Override
    public int size() {
      return names.length;
    }

    @Override
    public boolean isEmpty() {
      return names.length == 0;
    }

    @Override
    public boolean containsKey(Object name) {
      return indexOf(name) >= 0;
    }

    @Override
    public FieldEntry get(Object name) {
      int i = indexOf(name);
      return i < 0 ? null : entry(i);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super FieldEntry> action) {
      for (int i = 0; i < names.length; i++) {
        action.accept(names[i], entry(i));
      }
    }

    @Override
    public Set<Map.Entry<String, FieldEntry>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return names.length;
        }

        @Override
        public Iterator<Map.Entry<String, FieldEntry>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < names.length;
            }

            @Override
            public Map.Entry<String, FieldEntry> next() {
              if (next >= names.length) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new AbstractMap.SimpleImmutableEntry<>(names[i], entry(i));
            }
          };
        }
      };
    }
  }
}
