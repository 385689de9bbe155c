package io.soulgraph.graph.internal;

import io.soulgraph.ham.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.janusgraph.core.Cardinality;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;
import org.janusgraph.core.RelationType;
import org.janusgraph.core.schema.JanusGraphManagement;

/**
 * Declares a field's property key or edge label, each in a transaction of its own, before the
 * batch that needs it commits.
 *
 * <p>Why not inside the batch: alone on its storage, the writer's transactions skip JanusGraph's
 * consistency checks ({@link BatchLoader#writeTransaction}), and JanusGraph refuses to create
 * schema types in such a transaction. On a shared cluster, JanusGraph commits a transaction's schema part separately and, when
 * that part fails (two relays declaring the same name at once: the loser's lock check fails), it
 * does not roll it back, so the loser's lock claims on every name of that part stay until they
 * expire and block both relays from declaring those names (JanusGraph 1.1.0,
 * {@code StandardJanusGraph.commit}, "storage exception in system-commit"). With one name per
 * transaction the only claim left behind is on a name the winner has just declared, which nobody
 * needs to lock again.
 *
 * <p>Two threads declare: the writer, and the {@link SchemaPreparer} ahead of big puts. They take
 * turns (each declaration holds this declarer), and a declaration checks again for names the other
 * may have made since its caller looked, so no name is made twice.
 */
final class SchemaDeclarer {

  private final JanusGraph graph;
  private final SeededSchemaCache cache;
  private final boolean shared;
  /**
   * How many declarations have ended (counted after their commit): one that ended since a
   * {@link Missing} began looking may have made some of the names it found missing.
   */
  private volatile long declarations;

  /**
   * @param shared whether other relays declare names on the same storage too
   * @param fresh whether the store never committed a write: then, alone on its storage, the
   *     schema holds only the fixed types and whatever an interrupted first put declared, which
   *     are listed here, and every type after is made here, so the schema cache can tell a new
   *     name from memory ({@link SeededSchemaCache#knowAll}). A store holding data does not list
   *     its types (each is a read: about 0.1 ms a type, seconds to start with thousands of field
   *     names), and its new names are looked up as before.
   */
  SchemaDeclarer(JanusGraph graph, boolean shared, boolean fresh) {
    this.graph = graph;
    this.cache = SeededSchemaCache.of(graph);
    this.shared = shared;
    if (cache != null && fresh && !shared) {
      cache.knowAll(relationTypeNames());
    }
  }

  private List<String> relationTypeNames() {
    List<String> names = new ArrayList<>();
    JanusGraphManagement schema = graph.openManagement();
    try {
      schema.getRelationTypes(RelationType.class).forEach(type -> names.add(type.name()));
    } finally {
      schema.rollback();
    }
    return names;
  }

  /**
   * Declares property keys and edge labels a batch needs, none of which the schema held when its
   * caller looked; {@code checkAgain} when another declaration ended since, which may have made
   * some of them. Called holding this declarer. Alone on its storage, all in one transaction: a
   * wide new node needs two names per field (its key or label and its entry key), and a
   * transaction per name cost the writer a commit each; no other process declares names there,
   * so a failure is the backend's and fails (or retries) the batch. The types made are then
   * handed to the schema cache ({@link SeededSchemaCache}), so their first use reads nothing. On
   * a shared cluster one name per transaction (see above).
   */
  private void declareAll(Collection<String> propertyKeys,
      Collection<String> edgeLabels, boolean checkAgain) {
    if (propertyKeys.isEmpty() && edgeLabels.isEmpty()) {
      return;
    }
    if (shared) {
      propertyKeys.forEach(this::declarePropertyKey);
      edgeLabels.forEach(this::declareEdgeLabel);
      return;
    }
    if (cache != null) {
      cache.willMake(propertyKeys);
      cache.willMake(edgeLabels);
    }
    JanusGraphTransaction tx = graph.newTransaction();
    try {
      Map<String, Long> made = new HashMap<>();
      for (String name : propertyKeys) {
        if (!checkAgain || !tx.containsRelationType(name)) {
          made.put(name, tx.makePropertyKey(name).dataType(Object.class)
              .cardinality(Cardinality.SINGLE).make().longId());
        }
      }
      for (String name : edgeLabels) {
        if (!checkAgain || !tx.containsRelationType(name)) {
          made.put(name, tx.makeEdgeLabel(name).make().longId());
        }
      }
      tx.commit();
      if (cache != null) {
        cache.seed(made);
      }
    } finally {
      declarations++; // after the commit: a Missing begun during it must look again
      if (tx.isOpen()) {
        tx.rollback();
      }
    }
  }

  /**
   * The names some fields need that the schema lacks, found with {@code tx}: each field's property
   * key (a primitive) or edge label (a link), and its entry key.
   */
  Missing missing(JanusGraphTransaction tx) {
    return new Missing(tx, declarations); // no lock: the writer must not wait for the preparer
  }

  /**
   * Declares what {@code missing} found. A name wanted as both kinds is left out: the writer
   * gives it one kind when it writes it ({@code TxWriter}).
   */
  void declare(Missing missing) {
    if (missing.keys.isEmpty() && missing.labels.isEmpty()) {
      return;
    }
    Set<String> both = new HashSet<>(missing.keys);
    both.retainAll(missing.labels);
    missing.keys.removeAll(both);
    missing.labels.removeAll(both);
    synchronized (this) {
      declareAll(missing.keys, missing.labels, declarations != missing.declarationsSeen);
    }
  }

  /** Collects, field by field, the names a write needs that the schema lacks. */
  static final class Missing {
    private final JanusGraphTransaction tx;
    private final long declarationsSeen;
    private final Set<String> keys = new LinkedHashSet<>();
    private final Set<String> labels = new LinkedHashSet<>();
    private final Set<String> found = new HashSet<>();

    private Missing(JanusGraphTransaction tx, long declarationsSeen) {
      this.tx = tx;
      this.declarationsSeen = declarationsSeen;
    }

    /** Adds what a field of this value needs (a tombstone needs only its entry key). */
    void add(String field, Value value) {
      addIfNew(keys, FieldNames.entryKey(field));
      if (value.isLink()) {
        addIfNew(labels, FieldNames.escape(field));
      } else if (!value.isNull()) {
        addIfNew(keys, FieldNames.escape(field));
      }
    }

    private void addIfNew(Set<String> names, String name) {
      if (names.contains(name) || found.contains(name)) {
        return; // a batch writes the same few names over and over: each is looked up once
      }
      if (tx.containsRelationType(name)) {
        found.add(name);
      } else {
        names.add(name);
      }
    }
  }

  synchronized void declarePropertyKey(String name) {
    declare(name, tx -> {
      if (!tx.containsRelationType(name)) {
        tx.makePropertyKey(name).dataType(Object.class).cardinality(Cardinality.SINGLE).make();
      }
    });
  }

  synchronized void declareEdgeLabel(String name) {
    declare(name, tx -> {
      if (!tx.containsRelationType(name)) {
        tx.makeEdgeLabel(name).make();
      }
    });
  }

  /**
   * Runs {@code make} in its own transaction. If that fails because another relay declared the
   * name first, the name now exists and the caller's transaction sees it; any other failure
   * propagates and fails (or retries) the batch.
   */
  private void declare(String name, java.util.function.Consumer<JanusGraphTransaction> make) {
    if (cache != null) {
      cache.willMake(Set.of(name));
    }
    JanusGraphTransaction tx = graph.newTransaction();
    try {
      make.accept(tx);
      tx.commit();
      declarations++;
    } catch (RuntimeException e) {
      declarations++;
      if (tx.isOpen()) {
        tx.rollback();
      }
      JanusGraphTransaction check = graph.newTransaction();
      try {
        if (!check.containsRelationType(name)) {
          throw e;
        }
      } finally {
        check.rollback();
      }
    }
  }
}
