package io.soulgraph.graph.internal;

import io.soulgraph.graph.ChangeListener;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.DeferredQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.janusgraph.core.JanusGraphTransaction;
import org.janusgraph.core.JanusGraphVertex;
import org.janusgraph.diskstorage.TemporaryBackendException;
import org.janusgraph.diskstorage.locking.PermanentLockingException;
import org.janusgraph.diskstorage.locking.TemporaryLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer thread: drains queued tasks into one batch (up to {@code maxBatchPuts}; if
 * fewer are queued than the previous batch held, it waits for more until {@code maxBatchDelay}
 * after the oldest task was queued), resolves them, writes one
 * JanusGraph transaction, commits, and only then updates the hot index, completes the futures and
 * tells the listeners. It also releases deferred fields when the clock reaches them.
 */
final class GroupCommitter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  /** The longest sleep between checks of the deferral queue (the ticker may be a test's). */
  private static final long MAX_IDLE_MILLIS = 20;
  private static final long FAILURE_PAUSE_MILLIS = 100;
  /** Tries of one batch when the backend reports a temporary failure. */
  private static final int COMMIT_ATTEMPTS = 5;
  /** Tries of one batch on a shared cluster, where other relays' commits conflict with it. */
  private static final int SHARED_COMMIT_ATTEMPTS = 20;
  private static final long MAX_RETRY_PAUSE_MILLIS = 500;
  private static final int MAX_REASON_CHARS = 200;
  /**
   * How long one batch is retried at most: when the backend is down (a Cassandra node gone with
   * too few replicas left) every try waits for a request timeout, and its writers must get an
   * error in bounded time instead of a hang.
   */
  private static final long RETRY_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(15);

  private final JanusSoulStore core;
  /** How many batches' worth of tasks may wait: beyond that, puts fail fast (bounded memory). */
  private static final int QUEUED_BATCHES = 100;

  private final BlockingQueue<WriteTask> queue;
  private final DeferredQueue<Pending> deferred;
  private volatile boolean closing;
  private volatile String lastFailure;
  private int lastBatchSize;
  private Object metaVertexId;
  private final SharedSchema sharedSchema;

  GroupCommitter(JanusSoulStore core) {
    this.core = core;
    this.sharedSchema = core.config().shared() ? new SharedSchema(core.graph()) : null;
    this.deferred = new DeferredQueue<>(core.config().deferredCapacity());
    this.queue = new LinkedBlockingQueue<>(QUEUED_BATCHES * core.config().maxBatchPuts());
  }

  void submit(WriteTask task) {
    if (closing) {
      task.future().completeExceptionally(new IllegalStateException("Expected an open store"));
      return;
    }
    if (!queue.offer(task)) {
      task.future().completeExceptionally(new IllegalStateException("Expected at most "
          + QUEUED_BATCHES * core.config().maxBatchPuts() + " queued writes but the store is "
          + "that far behind; this write was not applied, retry later"));
    }
  }

  void close() {
    closing = true;
  }

  /** After the writer stopped: fails what raced in behind {@link #close()}. */
  void failRemaining() {
    for (WriteTask task = queue.poll(); task != null; task = queue.poll()) {
      task.future().completeExceptionally(new IllegalStateException("Expected an open store"));
    }
  }

  @Override
  public void run() {
    while (!closing || !queue.isEmpty()) {
      try {
        List<WriteTask> tasks = gather();
        List<Pending> due = deferred.due(core.clock().now() + core.config().drift());
        if (!tasks.isEmpty() || !due.isEmpty()) {
          commit(tasks, due);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("Soul store writer failed a batch; continuing", e);
      }
    }
  }

  private List<WriteTask> gather() throws InterruptedException {
    List<WriteTask> tasks = new ArrayList<>();
    double untilDue = deferred.nextDue() - core.config().drift() - core.clock().now();
    WriteTask first = queue.poll((long) Math.max(1, Math.min(MAX_IDLE_MILLIS, Math.ceil(untilDue))),
        TimeUnit.MILLISECONDS);
    if (first == null) {
      return tasks;
    }
    tasks.add(first);
    int max = core.config().maxBatchPuts();
    long deadline = first.queuedAt() + core.config().maxBatchDelay().toNanos();
    queue.drainTo(tasks, max - tasks.size());
    // wait (at most until the deadline) only for as many writers as the last batch showed
    while (tasks.size() < Math.min(max, lastBatchSize)) {
      long wait = deadline - System.nanoTime();
      WriteTask next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        break;
      }
      tasks.add(next);
      queue.drainTo(tasks, max - tasks.size());
    }
    lastBatchSize = tasks.size();
    return tasks;
  }

  /**
   * Commits the batch, trying again when the backend failed for a temporary reason (a lock or an
   * id-block claim that took too long on a loaded machine) or, on a shared cluster, because
   * another relay changed a record this batch read (a lock conflict): nothing was applied, and the
   * counter, context and hot index change only after a commit, so resolving again on fresh reads
   * decides as if the other relay's commit had come first.
   */
  private void commit(List<WriteTask> tasks, List<Pending> due) {
    int attempts = core.config().shared() ? SHARED_COMMIT_ATTEMPTS : COMMIT_ATTEMPTS;
    long giveUpAt = System.nanoTime() + RETRY_BUDGET_NANOS;
    for (int attempt = 1; ; attempt++) {
      Batch batch;
      Map<String, JanusGraphVertex> created;
      Map<String, HotNode> freshReads;
      try (BatchLoader committed =
          new BatchLoader(core.hot(), core.graph(), core.config().shared())) {
        batch = resolve(tasks, due, committed);
        created = write(batch, committed);
        freshReads = committed.freshReads();
      } catch (RuntimeException e) {
        if (attempt < attempts && isRetryable(e) && System.nanoTime() < giveUpAt) {
          LOG.warn("Group commit of {} tasks hit a {} ({}); try {} of {}", tasks.size(),
              isLockConflict(e) ? "lock conflict with another writer" : "temporary backend failure",
              rootMessage(e), attempt + 1, attempts);
          pauseBeforeRetry(attempt);
          continue;
        }
        due.forEach(p -> deferred.offer(p, p.fieldState().state()));
        StoreException failure = new StoreException("Expected the group commit to succeed", e);
        LOG.error("Group commit of {} tasks failed; none of them was applied", tasks.size(), e);
        lastFailure = rootMessage(e);
        tasks.forEach(task -> task.future().completeExceptionally(failure));
        pauseAfterFailure();
        return;
      }
      lastFailure = null;
      announceForeignChanges(freshReads);
      afterCommit(batch, created, freshReads);
      return;
    }
  }

  private static boolean isRetryable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TemporaryBackendException || cause instanceof PermanentLockingException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  private static boolean isLockConflict(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof PermanentLockingException
          || cause instanceof TemporaryLockingException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getClass().getSimpleName() + ": " + root.getMessage();
    // lock conflicts quote whole records in hex: the first part says what happened
    return message.length() <= MAX_REASON_CHARS ? message
        : message.substring(0, MAX_REASON_CHARS) + "...";
  }

  /** Random backoff, growing per attempt, so two relays in conflict stop colliding in step. */
  private static void pauseBeforeRetry(int attempt) {
    long bound = Math.min(MAX_RETRY_PAUSE_MILLIS, 10L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * On a shared cluster, what another relay committed (seen in this batch's fresh reads, differing
   * from what this relay last knew and announced, all of it for a soul the hot index does not
   * hold) is announced to local subscribers, origin null:
   * a change a peer relay forwards after storing it is no change here, yet local subscribers
   * must still see it.
   */
  private void announceForeignChanges(Map<String, HotNode> freshReads) {
    GraphBuilder foreign = new GraphBuilder();
    freshReads.forEach((soul, fresh) -> {
      // a soul this relay holds nothing of: its subscribers may have seen any older state
      HotNode known = core.hot().getIfPresent(soul);
      Map<String, FieldEntry> before = known == null ? Map.of() : known.fields();
      fresh.fields().forEach((field, entry) -> {
        FieldEntry old = before.get(field);
        if (old == null || !old.fieldState().equals(entry.fieldState())) {
          foreign.add(soul, field, entry.fieldState());
        }
      });
    });
    if (!foreign.isEmpty()) {
      notifyListeners(new Batch.Outcome(null, null, foreign.build(), null));
    }
  }

  private Batch resolve(List<WriteTask> tasks, List<Pending> due, BatchLoader committed) {
    Batch batch = new Batch(core.replicaId(), committed, core.clock().now(),
        core.config().drift(), deferred.capacity() - deferred.size(), core.counter(),
        core.contextRef());
    batch.release(due);
    for (WriteTask task : tasks) {
      if (task instanceof WriteTask.Put put) {
        batch.put(put);
      } else if (task instanceof WriteTask.AntiEntropy ae) {
        batch.antiEntropy(ae);
      }
    }
    return batch;
  }

  private static void pauseAfterFailure() {
    try {
      Thread.sleep(FAILURE_PAUSE_MILLIS); // a failing backend is not retried in a busy loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Map<String, JanusGraphVertex> write(Batch batch, BatchLoader committed) {
    if (batch.overlay().isEmpty() && batch.context().equals(core.contextRef())) {
      return Map.of();
    }
    JanusGraphTransaction tx = committed.writeTransaction();
    try {
      TxWriter writer = new TxWriter(tx, committed::known, metaVertexId, core.metaKeyValue(),
          sharedSchema);
      batch.overlay().forEach((soul, changed) -> {
        HotNode before = committed.apply(soul);
        JanusGraphVertex v = writer.vertex(soul);
        changed.forEach((field, entry) -> {
          FieldEntry old = before.fields().get(field);
          writer.replaceField(v, field, old == null ? null : old.fieldState().value(),
              entry.fieldState().value());
        });
        writer.writeEntries(v, before.merge(null, changed).fields());
      });
      writer.writeMeta(EntryCodec.writeContext(batch.context(), batch.counter()));
      tx.commit();
      metaVertexId = writer.metaVertexId();
      return writer.created();
    } catch (RuntimeException e) {
      if (tx.isOpen()) {
        tx.rollback();
      }
      throw e;
    }
  }

  private void afterCommit(Batch batch, Map<String, JanusGraphVertex> created,
      Map<String, HotNode> freshReads) {
    batch.deferred().forEach(p -> deferred.offer(p, p.fieldState().state()));
    freshReads.forEach(core.hot()::replace);
    created.forEach((soul, v) -> core.hot().afterCommit(soul, v.id(), Map.of()));
    batch.overlay().forEach((soul, changed) -> core.hot().afterCommit(soul, null, changed));
    core.publish(batch.counter(), batch.context());
    for (Batch.Outcome outcome : batch.outcomes()) {
      if (!outcome.changes().isEmpty()) {
        notifyListeners(outcome);
      }
      if (outcome.future() != null) {
        outcome.future().complete(outcome.result());
      }
    }
  }

  private void notifyListeners(Batch.Outcome outcome) {
    for (ChangeListener listener : core.listeners()) {
      try {
        listener.onChange(outcome.changes(), outcome.origin());
      } catch (RuntimeException e) {
        LOG.warn("A change listener failed; other listeners still ran", e);
      }
    }
  }

  /** Why the latest group commit failed, or null if it succeeded. */
  String lastFailure() {
    return lastFailure;
  }

  int deferredCount() {
    return deferred.size();
  }
}
