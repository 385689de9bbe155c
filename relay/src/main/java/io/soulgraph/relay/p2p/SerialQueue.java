package io.soulgraph.relay.p2p;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one peer's tasks in order on a shared pool, off the libp2p I/O and router threads (the
 * core may read the store while it handles a frame), with a bound on the bytes waiting.
 */
final class SerialQueue {

  private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);

  private final Executor executor;
  private final long maxPendingBytes;
  private final ArrayDeque<Task> tasks = new ArrayDeque<>();
  private long pendingBytes;
  private boolean running;

  private record Task(Runnable work, long bytes) {}

  SerialQueue(Executor executor, long maxPendingBytes) {
    this.executor = executor;
    this.maxPendingBytes = maxPendingBytes;
  }

  /**
   * Queues {@code work}, accounted as {@code bytes}; false (nothing queued) when that would take
   * the waiting bytes over the bound.
   */
  boolean offer(Runnable work, long bytes) {
    synchronized (this) {
      if (bytes > 0 && pendingBytes + bytes > maxPendingBytes) {
        return false;
      }
      tasks.add(new Task(work, bytes));
      pendingBytes += bytes;
      if (running) {
        return true;
      }
      running = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        tasks.clear();
        pendingBytes = 0;
        running = false;
      }
    }
    return true;
  }

  /** Queues {@code work} regardless of the bound (lifecycle events, never data). */
  void always(Runnable work) {
    offer(work, 0);
  }

  private void drain() {
    while (true) {
      Task task;
      synchronized (this) {
        task = tasks.poll();
        if (task == null) {
          running = false;
          return;
        }
        pendingBytes -= task.bytes();
      }
      try {
        task.work().run();
      } catch (RuntimeException e) {
        LOG.error("A libp2p sync task failed", e);
      }
    }
  }
}
