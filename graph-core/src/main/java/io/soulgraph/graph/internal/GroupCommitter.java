package io.soulgraph.graph.internal;

import io.soulgraph.graph.ChangeListener;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.DeferredQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;
import org.janusgraph.core.JanusGraphVertex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer thread: drains queued tasks into one batch (up to {@code maxBatchPuts}, waiting
 * at most {@code maxBatchDelay} after the oldest task was queued), resolves them, writes one
 * JanusGraph transaction, commits, and only then updates the hot index, completes the futures and
 * tells the listeners. It also releases deferred fields when the clock reaches them.
 */
final class GroupCommitter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  /** The longest sleep between checks of the deferral queue (the ticker may be a test's). */
  private static final long MAX_IDLE_MILLIS = 20;
  private static final long FAILURE_PAUSE_MILLIS = 100;

  private final JanusSoulStore core;
  private final BlockingQueue<WriteTask> queue = new LinkedBlockingQueue<>();
  private final DeferredQueue<Pending> deferred;
  private volatile boolean closing;

  GroupCommitter(JanusSoulStore core) {
    this.core = core;
    this.deferred = new DeferredQueue<>(core.config().deferredCapacity());
  }

  void submit(WriteTask task) {
    if (closing) {
      task.future().completeExceptionally(new IllegalStateException("Expected an open store"));
      return;
    }
    queue.add(task);
  }

  void close() {
    closing = true;
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
    long untilDue = (long) Math.ceil(deferred.nextDue() - core.config().drift() - core.clock().now());
    WriteTask first = queue.poll(Math.max(1, Math.min(MAX_IDLE_MILLIS, untilDue)),
        TimeUnit.MILLISECONDS);
    if (first == null) {
      return tasks;
    }
    tasks.add(first);
    int max = core.config().maxBatchPuts();
    long deadline = first.queuedAt() + core.config().maxBatchDelay().toNanos();
    queue.drainTo(tasks, max - tasks.size());
    while (tasks.size() < max) {
      long wait = deadline - System.nanoTime();
      WriteTask next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        break;
      }
      tasks.add(next);
      queue.drainTo(tasks, max - tasks.size());
    }
    return tasks;
  }

  private void commit(List<WriteTask> tasks, List<Pending> due) {
    Batch batch = new Batch(core.replicaId(), core.hot()::get, core.clock().now(),
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
    Map<String, JanusGraphVertex> created;
    try {
      created = write(batch);
    } catch (RuntimeException e) {
      due.forEach(p -> deferred.offer(p, p.fieldState().state()));
      StoreException failure = new StoreException("Expected the group commit to succeed", e);
      LOG.error("Group commit of {} tasks failed", tasks.size(), e);
      batch.outcomes().forEach(o -> {
        if (o.future() != null) {
          o.future().completeExceptionally(failure);
        }
      });
      pauseAfterFailure();
      return;
    }
    afterCommit(batch, created);
  }

  private static void pauseAfterFailure() {
    try {
      Thread.sleep(FAILURE_PAUSE_MILLIS); // a failing backend is not retried in a busy loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Map<String, JanusGraphVertex> write(Batch batch) {
    if (batch.overlay().isEmpty() && batch.context().equals(core.contextRef())) {
      return Map.of();
    }
    JanusGraph graph = core.graph();
    JanusGraphTransaction tx = graph.newTransaction();
    try {
      TxWriter writer = new TxWriter(tx, core.hot()::vertexIdIfPresent);
      batch.overlay().forEach((soul, changed) -> {
        HotNode before = core.hot().get(soul);
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
      return writer.created();
    } catch (RuntimeException e) {
      if (tx.isOpen()) {
        tx.rollback();
      }
      throw e;
    }
  }

  private void afterCommit(Batch batch, Map<String, JanusGraphVertex> created) {
    batch.deferred().forEach(p -> deferred.offer(p, p.fieldState().state()));
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

  int deferredCount() {
    return deferred.size();
  }
}
