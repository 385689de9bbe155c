package io.soulgraph.graph.internal;

import io.soulgraph.graph.ChangeListener;
import io.soulgraph.graph.StoreBusyException;
import io.soulgraph.graph.StoreConfig;
import io.soulgraph.graph.StoreException;
import io.soulgraph.ham.DeferredQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.janusgraph.core.JanusGraphTransaction;
import org.janusgraph.core.JanusGraphVertex;
import org.janusgraph.diskstorage.TemporaryBackendException;
import org.janusgraph.diskstorage.locking.PermanentLockingException;
import org.janusgraph.diskstorage.locking.TemporaryLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer thread: drains queued tasks into one batch (up to {@code maxBatchPuts} and
 * {@code maxBatchFields}; if fewer are queued than the previous batch held, it waits for more
 * until {@code maxBatchDelay} after the oldest task was queued), resolves them, writes one
 * JanusGraph transaction, commits, and only then updates the hot index, completes the futures and
 * tells the listeners. It also releases deferred fields when the clock reaches them.
 *
 * <p>Every future it takes is completed, whatever fails: a failed commit fails the whole batch,
 * a failure after the commit still completes the committed puts (and drops the hot index's copy
 * of their souls, so reads go to the graph), and if the thread dies of an {@link Error} the store
 * fails what it held and every later put ({@link #die}). While commits fail, {@link #failure()}
 * says why: the relay's health check reports it, and an idle writer probes the backend so that
 * recovery is noticed too.
 *
 * <p>No put waits longer than the store's commit timeout for an answer: a deadline thread fails
 * every task queued longer than that (one waiting in the queue is dropped, so nothing of it is
 * applied; one inside a commit that has not returned is failed too, as its outcome is unknown),
 * and a batch is not retried past its oldest task's deadline. On a cluster that cannot answer
 * (a Cassandra node down with too few replicas left, a partition) the writer gets an error in
 * bounded time, not silence.
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
  /** The longest time between two checks for tasks past the commit timeout. */
  private static final long MAX_DEADLINE_CHECK_MILLIS = 200;
  /** How often an idle writer whose last commit failed tries the backend again. */
  private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * The widest task that joins a batch begun by another. A wider one, or a piece of a big put
   * ({@link #wide}; but see {@link #joinsPieces}), waits to begin the next batch: the small puts
   * queued ahead of it are committed without it, so a client's put waits for at most the piece
   * already committing, not for that one and the next. Small puts queued behind a wide task are
   * committed before it too, once ({@link #passedOver}); after that they join it, so a stream of
   * small puts cannot starve it.
   */
  static final int JOINS_FIELDS = 16;

  /** The most fields of pieces joined into one batch. */
  static final int JOINED_PIECES_FIELDS = 256;

  /**
   * Other puts' fields from which a batch is busy enough for pieces to join it: its commit costs
   * the others several milliseconds anyway, and a big put kept to one small piece a commit beside
   * a saturating load took three times as long (docs/benchmarks.md, fairness).
   */
  static final int BUSY_BATCH_FIELDS = 64;

  /**
   * How long after a batch that held another put the writer still commits pieces one at a time:
   * a client putting one node at a time sends its next put a few milliseconds after its ack, and
   * finds at most one piece ahead of it.
   */
  static final long CONTENTION_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final JanusSoulStore core;
  /** How many batches' worth of tasks may wait: beyond that, puts fail fast (bounded memory). */
  private static final int QUEUED_BATCHES = 100;

  private final BlockingQueue<WriteTask> queue;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final DeferredQueue<Pending> deferred;
  private final DeferralBudget deferralBudget;
  private volatile boolean closing;
  /** Set once the writer will take nothing more from the queue (see {@link #failRemaining}). */
  private volatile boolean stopped;
  private volatile String failure;
  private volatile String death;
  private volatile List<WriteTask> current = List.of();
  private volatile WriteTask carried;
  /**
   * The last wide task that small puts queued behind it went ahead of: a relay keeps a big put's
   * next piece queued while one commits, so without this a client's put that came meanwhile would
   * wait for both. Each wide task is passed over at most once.
   */
  private WriteTask passedOver;
  /** When the commit in progress started ({@link System#nanoTime()}), or 0 between commits. */
  private volatile long commitStartedAt;
  private final long commitTimeoutNanos;
  private long lastProbe;
  private int lastBatchSize;
  /** When the last batch that held a task other than a piece was gathered. */
  private long lastOthersBatch = System.nanoTime() - CONTENTION_NANOS;
  private Object metaVertexId;
  private final SchemaDeclarer schema;

  GroupCommitter(JanusSoulStore core) {
    this.core = core;
    this.schema = core.schema();
    this.deferred = new DeferredQueue<>(core.config().deferredCapacity());
    StoreConfig.Bounds bounds = core.config().bounds();
    this.deferralBudget =
        new DeferralBudget(bounds.deferredBytes(), bounds.deferredBytesPerOrigin());
    this.queue = new LinkedBlockingQueue<>(QUEUED_BATCHES * core.config().maxBatchPuts());
    this.commitTimeoutNanos = core.commitTimeout().toNanos();
  }

  void submit(WriteTask task) {
    if (death != null) {
      task.future().completeExceptionally(new StoreException(death, null));
      return;
    }
    if (closing) {
      task.future().completeExceptionally(closingRefusal());
      return;
    }
    long bytes = task.bytes();
    long maxBytes = core.config().bounds().maxQueuedBytes();
    long queued = queuedBytes.addAndGet(bytes);
    if (queued > maxBytes && queued != bytes) {
      queuedBytes.addAndGet(-bytes);
      task.future().completeExceptionally(new StoreBusyException("Expected at most " + maxBytes
          + " bytes of writes waiting for the store but " + (queued - bytes) + " wait; this write"
          + " was not applied, retry later", false));
      return;
    }
    if (!queue.offer(task)) {
      queuedBytes.addAndGet(-bytes);
      task.future().completeExceptionally(new StoreBusyException("Expected at most "
          + QUEUED_BATCHES * core.config().maxBatchPuts() + " queued writes but the store is "
          + "that far behind; this write was not applied, retry later", false));
      return;
    }
    // the writer may have died or stopped between the checks above and the offer: then nobody
    // else takes this task, so fail what is left here (poll hands each task to one taker only)
    if (death != null) {
      failQueued(new StoreException(death, null));
    } else if (stopped) {
      failQueued(closingRefusal());
    }
  }

  private static StoreBusyException closingRefusal() {
    return new StoreBusyException("Expected an open store but it is closing; this write was not"
        + " applied", true);
  }

  private void failQueued(RuntimeException failure) {
    for (WriteTask task = queue.poll(); task != null; task = queue.poll()) {
      queuedBytes.addAndGet(-task.bytes());
      task.future().completeExceptionally(failure);
    }
  }

  /**
   * Why commits do not succeed now, or null when the last commit (or probe) succeeded and none
   * has been running longer than the commit timeout.
   */
  String failure() {
    String dead = death;
    if (dead != null) {
      return dead;
    }
    String failed = failure;
    if (failed != null) {
      return failed;
    }
    long started = commitStartedAt;
    long running = started == 0 ? 0 : System.nanoTime() - started;
    return running > commitTimeoutNanos ? "a commit has been running for " + text(running)
        + ", longer than the commit timeout (" + text(commitTimeoutNanos) + ")" : null;
  }

  private static String text(long nanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    return millis < 10_000 && millis % 1000 != 0 ? millis + " ms" : millis / 1000 + " s";
  }

  /**
   * Fails every task that has waited longer than the commit timeout: queued ones are taken out
   * of the queue (never applied), the carried one and those in the running commit are failed
   * (their commit may still land; the writer ignores a future already failed). Runs on the
   * deadline thread.
   */
  void expireOverdue() {
    long now = System.nanoTime();
    int expired = 0;
    List<WriteTask> running = current;
    List<WriteTask> copy;
    synchronized (running) { // the writer may be adding to it (gather)
      copy = List.copyOf(running);
    }
    for (WriteTask task : copy) {
      expired += expire(task, now) ? 1 : 0;
    }
    WriteTask held = carried;
    if (held != null) {
      expired += expire(held, now) ? 1 : 0;
    }
    for (WriteTask task : queue) { // oldest first
      if (now - task.queuedAt() <= commitTimeoutNanos) {
        break;
      }
      if (queue.remove(task)) {
        queuedBytes.addAndGet(-task.bytes());
        expired += expire(task, now) ? 1 : 0;
      }
    }
    if (expired > 0 && failure == null && death == null) {
      long started = commitStartedAt;
      recordFailure(expired + " puts waited longer than the commit timeout ("
          + text(commitTimeoutNanos) + ")" + (started == 0 ? ""
          : "; the commit in progress has been running for " + text(now - started)), null);
    }
  }

  private boolean expire(WriteTask task, long now) {
    if (now - task.queuedAt() <= commitTimeoutNanos || task.future().isDone()) {
      return false;
    }
    String why = failure();
    return task.future().completeExceptionally(new StoreException("Expected the write to be "
        + "committed within " + text(commitTimeoutNanos) + " but "
        + (why == null ? "the store is that far behind" : "storage failed: " + why)
        + "; it was not acknowledged and may not have been applied: send it again", null));
  }

  /**
   * The writer thread died of {@code error}: every task it held or that is queued fails, and so
   * does every later put. Called by the thread's uncaught-exception handler.
   */
  void die(Throwable error) {
    death = "The store's writer stopped after " + error + "; restart the process";
    LOG.error("Storage failed: {}", death, error);
    StoreException failed = new StoreException(death, error);
    for (WriteTask task : current) {
      task.future().completeExceptionally(failed);
    }
    if (carried != null) {
      carried.future().completeExceptionally(failed);
    }
    failQueued(failed);
  }

  void close() {
    closing = true;
  }

  /** After the writer stopped: fails what raced in behind {@link #close()}. */
  void failRemaining() {
    stopped = true;
    if (carried != null) {
      carried.future().completeExceptionally(closingRefusal());
      carried = null;
    }
    failQueued(closingRefusal());
  }

  @Override
  public void run() {
    ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, Thread.currentThread().getName() + "-deadlines");
      thread.setDaemon(true);
      return thread;
    });
    long every = Math.max(1, Math.min(MAX_DEADLINE_CHECK_MILLIS,
        TimeUnit.NANOSECONDS.toMillis(commitTimeoutNanos) / 10));
    deadlines.scheduleWithFixedDelay(() -> {
      try {
        expireOverdue();
      } catch (RuntimeException e) {
        LOG.warn("Checking puts against the commit timeout failed", e);
      }
    }, every, every, TimeUnit.MILLISECONDS);
    try {
      writeUntilClosed();
    } finally {
      deadlines.shutdownNow();
    }
  }

  private void writeUntilClosed() {
    while (!closing || !queue.isEmpty() || carried != null) {
      try {
        List<WriteTask> tasks = gather();
        List<Pending> due = deferred.due(core.clock().now() + core.config().drift());
        due.forEach(deferralBudget::remove);
        if (!tasks.isEmpty() || !due.isEmpty()) {
          commit(tasks, due);
        } else if (failure != null && System.nanoTime() - lastProbe > PROBE_NANOS) {
          probe();
        }
        current = List.of();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failAll(current, e);
        LOG.error("Soul store writer failed a batch; continuing", e);
      }
    }
  }

  private static void failAll(List<WriteTask> tasks, Throwable e) {
    StoreException failed = new StoreException("Expected the group commit to succeed but it "
        + "failed (" + rootMessage(e) + "); nothing of it was acknowledged", e);
    tasks.forEach(task -> task.future().completeExceptionally(failed));
  }

  /** Commits the context unchanged, to learn whether the backend works again. */
  private void probe() {
    lastProbe = System.nanoTime();
    JanusGraphTransaction tx = core.graph().newTransaction();
    commitStartedAt = lastProbe;
    try {
      TxWriter writer = new TxWriter(tx, core.hot()::getIfPresent, metaVertexId,
          core.metaKeyValue(), schema, core.config().shared());
      writer.writeMeta(EntryCodec.writeContext(core.contextRef(), core.counter()));
      tx.commit();
      metaVertexId = writer.metaVertexId();
      recordSuccess();
    } catch (RuntimeException e) {
      if (tx.isOpen()) {
        tx.rollback();
      }
      recordFailure(e);
    } finally {
      commitStartedAt = 0;
    }
  }

  private void recordFailure(Throwable e) {
    recordFailure("commits fail: " + e, e);
  }

  private void recordFailure(String reason, Throwable e) {
    if (failure == null) {
      LOG.error("Storage failed: {}. Puts are refused and /health reports it until a commit"
          + " succeeds", reason, e);
    } else {
      LOG.debug("Storage still failing: {}", reason);
    }
    failure = reason;
  }

  private void recordSuccess() {
    if (failure != null) {
      LOG.info("Storage recovered: a commit succeeded");
      failure = null;
    }
  }

  private List<WriteTask> gather() throws InterruptedException {
    // synchronized: the deadline thread copies it while this thread adds to it
    List<WriteTask> tasks = Collections.synchronizedList(new ArrayList<>());
    current = tasks; // if the thread dies while gathering, die() fails these too
    WriteTask held = carried;
    if (held != null) {
      carried = null;
      queuedBytes.addAndGet(-held.bytes());
      if (!held.future().isDone()) { // failed past the commit timeout: not written
        return begin(held, tasks);
      }
    }
    double untilDue = deferred.nextDue() - core.config().drift() - core.clock().now();
    WriteTask first = queue.poll((long) Math.max(1, Math.min(MAX_IDLE_MILLIS, Math.ceil(untilDue))),
        TimeUnit.MILLISECONDS);
    if (first == null) {
      return tasks;
    }
    queuedBytes.addAndGet(-first.bytes());
    if (first.future().isDone()) {
      return tasks;
    }
    return begin(first, tasks);
  }

  /**
   * Begins a batch with {@code first}, unless it is wide and small puts queued behind it have not
   * gone ahead of it yet: then they make the batch, which a piece joins only as
   * {@link #joinsPieces} lets it, else it is carried to the next.
   */
  private List<WriteTask> begin(WriteTask first, List<WriteTask> tasks)
      throws InterruptedException {
    if (first == passedOver) {
      passedOver = null;
    } else if (wide(first)) {
      int smallFields = takeSmallQueued(tasks, first);
      if (!tasks.isEmpty() && !joinsPieces(first, 0, smallFields)) {
        passedOver = first;
        carried = first;
        queuedBytes.addAndGet(first.bytes()); // still waiting
        return gathered(tasks);
      }
    }
    tasks.add(first);
    return takeMore(tasks);
  }

  /** A piece, or a task wider than {@link #JOINS_FIELDS}: it joins no batch begun by another. */
  private static boolean wide(WriteTask task) {
    return task.piece() || task.fields() > JOINS_FIELDS;
  }

  /**
   * Whether {@code next}, a piece, joins a batch holding {@code pieceFields} of pieces and
   * {@code otherFields} of other puts: while no other put is being written, so that a big put
   * alone takes as few commits as whole; or when the batch is busy with others' puts anyway.
   */
  private boolean joinsPieces(WriteTask next, int pieceFields, int otherFields) {
    if (!next.piece() || pieceFields + next.fields() > JOINED_PIECES_FIELDS) {
      return false;
    }
    return otherFields >= BUSY_BATCH_FIELDS
        || otherFields == 0 && System.nanoTime() - lastOthersBatch > CONTENTION_NANOS;
  }

  /**
   * Notes what the batch tells about the other writers: how many there were (pieces of one put
   * count as one) and whether any was there at all.
   */
  private List<WriteTask> gathered(List<WriteTask> tasks) {
    int others = 0;
    for (WriteTask task : tasks) {
      others += task.piece() ? 0 : 1;
    }
    if (others > 0) {
      lastOthersBatch = System.nanoTime();
    }
    lastBatchSize = Math.max(1, others);
    return tasks;
  }

  /**
   * Moves the small tasks already queued into {@code tasks}, oldest first, within one batch's
   * bounds less room for {@code wide}, leaving wide ones queued in their order; returns their
   * fields. Only this thread takes from the queue (the deadline thread removes overdue tasks: a
   * task it removed first is not taken here).
   */
  private int takeSmallQueued(List<WriteTask> tasks, WriteTask wide) {
    int max = core.config().maxBatchPuts() - 1;
    int fieldsLeft = core.config().bounds().maxBatchFields() - wide.fields();
    int taken = 0;
    for (Iterator<WriteTask> queued = queue.iterator();
        queued.hasNext() && tasks.size() < max; ) {
      WriteTask next = queued.next();
      if (wide(next) || next.fields() > fieldsLeft) {
        continue;
      }
      if (queue.remove(next)) {
        queuedBytes.addAndGet(-next.bytes());
        if (!next.future().isDone()) {
          tasks.add(next);
          fieldsLeft -= next.fields();
          taken += next.fields();
        }
      }
    }
    return taken;
  }

  /**
   * Adds queued tasks to the batch up to {@code maxBatchPuts} and {@code maxBatchFields} (the
   * first task always goes, however wide); a task that would overflow, or is {@link #wide} (but
   * for a piece that {@link #joinsPieces}), is carried to the next.
   */
  private List<WriteTask> takeMore(List<WriteTask> tasks) throws InterruptedException {
    int max = core.config().maxBatchPuts();
    int maxFields = core.config().bounds().maxBatchFields();
    int fields = 0;
    int pieceFields = 0;
    for (WriteTask task : tasks) {
      fields += task.fields();
      pieceFields += task.piece() ? task.fields() : 0;
    }
    long deadline = tasks.get(0).queuedAt() + core.config().maxBatchDelay().toNanos();
    // wait (at most until the deadline) only for as many writers as the last batch showed
    while (tasks.size() < max && fields < maxFields) {
      WriteTask next = queue.poll();
      if (next == null && tasks.size() < Math.min(max, lastBatchSize)) {
        long wait = deadline - System.nanoTime();
        next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
      }
      if (next == null) {
        break;
      }
      queuedBytes.addAndGet(-next.bytes());
      if (next.future().isDone()) {
        continue;
      }
      if (fields + next.fields() > maxFields
          || wide(next) && !joinsPieces(next, pieceFields, fields - pieceFields)) {
        carried = next;
        queuedBytes.addAndGet(next.bytes()); // still waiting
        break;
      }
      tasks.add(next);
      fields += next.fields();
      pieceFields += next.piece() ? next.fields() : 0;
    }
    return gathered(tasks);
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
    long started = System.nanoTime();
    long giveUpAt = started + commitTimeoutNanos;
    for (WriteTask task : tasks) {
      giveUpAt = Math.min(giveUpAt, task.queuedAt() + commitTimeoutNanos);
    }
    commitStartedAt = started;
    try {
      commitWithRetries(tasks, due, attempts, giveUpAt);
    } finally {
      commitStartedAt = 0;
    }
  }

  private void commitWithRetries(List<WriteTask> tasks, List<Pending> due, int attempts,
      long giveUpAt) {
    for (int attempt = 1; ; attempt++) {
      Batch batch;
      Map<String, JanusGraphVertex> created;
      Map<String, HotNode> freshReads;
      try (BatchLoader committed =
          new BatchLoader(core.hot(), core.graph(), core.config().shared(), core.souls())) {
        batch = resolve(tasks, due, committed);
        created = write(batch, committed);
        freshReads = committed.freshReads();
      } catch (RuntimeException | Error e) {
        if (e instanceof RuntimeException && attempt < attempts && isRetryable(e)
            && System.nanoTime() < giveUpAt && !allAnswered(tasks)) {
          LOG.warn("Group commit of {} tasks hit a {} ({}); try {} of {}", tasks.size(),
              isLockConflict(e) ? "lock conflict with another writer" : "temporary backend failure",
              rootMessage(e), attempt + 1, attempts);
          pauseBeforeRetry(attempt);
          continue;
        }
        failBatch(tasks, due, e);
        if (e instanceof Error error) {
          throw error; // the thread dies; die() fails what is left
        }
        pauseAfterFailure();
        return;
      }
      recordSuccess();
      afterCommit(batch, created, freshReads);
      return;
    }
  }

  /** Whether every task already has its answer (failed past the commit timeout). */
  private static boolean allAnswered(List<WriteTask> tasks) {
    return !tasks.isEmpty() && tasks.stream().allMatch(task -> task.future().isDone());
  }

  private void failBatch(List<WriteTask> tasks, List<Pending> due, Throwable e) {
    for (Pending p : due) {
      if (deferred.offer(p, p.fieldState().state())) {
        deferralBudget.add(p);
      }
    }
    recordFailure(e); // before the futures fail, so that a caller who sees one sees this too
    LOG.debug("Group commit of {} tasks failed; none of them was applied", tasks.size(), e);
    failAll(tasks, e);
  }

  /**
   * Whether the commit failed for a reason that may be gone on the next try, having applied
   * nothing: a temporary backend failure, a lock conflict with another relay, or BerkeleyJE's
   * lock timeout against the store's own readers (JanusGraph reports that one as permanent, but
   * JE aborted the transaction, and readers let go within moments).
   */
  private static boolean isRetryable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TemporaryBackendException || cause instanceof PermanentLockingException
          || cause instanceof com.sleepycat.je.LockConflictException) {
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
    committed.prefetch(soulsOf(tasks));
    Batch batch = new Batch(core.replicaId(), committed, core.clock().now(),
        core.config().drift(), deferred, core.counter(),
        core.contextRef(), deferralBudget, core.config().bounds().maxNodeFields());
    batch.release(due);
    for (WriteTask task : tasks) {
      try {
        if (task instanceof WriteTask.Put put) {
          batch.put(put);
        } else if (task instanceof WriteTask.AntiEntropy ae) {
          batch.antiEntropy(ae);
        }
      } catch (StoreException backend) {
        throw backend; // a read failed: the whole batch fails (or is tried again)
      } catch (RuntimeException bug) {
        // a bug while resolving this task: it fails with the bug itself, not as a backend
        // failure, and the rest of the batch goes on (what an anti-entropy batch merged before
        // failing is HAM's join of valid writes: committing it is harmless, though unannounced)
        LOG.error("Resolving a write failed; it is answered with the error, the batch goes on",
            bug);
        task.future().completeExceptionally(bug);
      }
    }
    return batch;
  }

  private static List<String> soulsOf(List<WriteTask> tasks) {
    List<String> souls = new ArrayList<>();
    for (WriteTask task : tasks) {
      if (task instanceof WriteTask.Put put) {
        souls.addAll(put.diff().nodes().keySet());
      } else if (task instanceof WriteTask.AntiEntropy ae) {
        ae.batch().forEach(update -> souls.add(update.soul()));
      }
    }
    return souls;
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
          schema, core.config().shared());
      writer.declareNames(batch.overlay());
      batch.overlay().forEach((soul, changed) -> {
        HotNode before = committed.apply(soul);
        JanusGraphVertex v = writer.vertex(soul);
        changed.forEach((field, entry) -> {
          FieldEntry old = before.fields().get(field);
          writer.replaceField(v, field, old == null ? null : old.fieldState().value(),
              entry.fieldState().value());
        });
        writer.writeEntries(v, before, changed);
      });
      writer.writeMeta(EntryCodec.writeContext(batch.context(), batch.counter()));
      if (core.souls() != null) { // before the commit: once it lands, a read must not miss them
        writer.created().keySet().forEach(core.souls()::add);
      }
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

  /**
   * Publishes a committed batch. The commit is durable, so its futures complete normally whatever
   * fails here; if the hot index could not take the changes, its copies of those souls are dropped
   * so that reads and the next batch load the committed state from the graph.
   */
  private void afterCommit(Batch batch, Map<String, JanusGraphVertex> created,
      Map<String, HotNode> freshReads) {
    try {
      // the context before the hot index: a hot read that sees a committed field also sees its
      // dot claimed (a graph read may see the field a moment sooner; claiming late is safe)
      core.publish(batch.counter(), batch.context());
      for (Pending p : batch.deferred()) {
        if (deferred.offer(p, p.fieldState().state())) {
          deferralBudget.add(p);
        }
      }
      announceForeignChanges(freshReads); // compares with the hot index before it takes them
      freshReads.forEach(core.hot()::replace);
      created.forEach((soul, v) -> core.hot().afterCommit(soul, v.id(), Map.of()));
      batch.overlay().forEach((soul, changed) -> core.hot().afterCommit(soul, null, changed));
    } catch (RuntimeException | Error e) {
      core.publish(batch.counter(), batch.context());
      core.hot().invalidate(batch.overlay().keySet());
      core.hot().invalidate(created.keySet());
      LOG.error("Publishing a committed batch failed; its souls are read from the graph again",
          e);
      completeAll(batch);
      throw e;
    }
    Error fatal = null;
    for (Batch.Outcome outcome : batch.outcomes()) {
      try {
        if (!outcome.changes().isEmpty()) {
          notifyListeners(outcome);
        }
      } catch (Error e) {
        fatal = fatal == null ? e : fatal;
      }
      if (outcome.future() != null) {
        outcome.future().complete(outcome.result());
      }
    }
    if (fatal != null) {
      throw fatal;
    }
  }

  private static void completeAll(Batch batch) {
    for (Batch.Outcome outcome : batch.outcomes()) {
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

  int queuedWrites() {
    return queue.size();
  }

  long queuedWriteBytes() {
    return queuedBytes.get();
  }

  int deferredCount() {
    return deferred.size();
  }

  long deferredBytes() {
    return deferralBudget.total();
  }
}
