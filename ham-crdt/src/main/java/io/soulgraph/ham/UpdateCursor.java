package io.soulgraph.ham;

import java.util.List;

/**
 * The writes one replica holds that a peer lacks, handed out in bounded batches: what anti-entropy
 * streams to the peer. Memory is bounded by the batch, however large the replica; the writes are
 * read as they are when each batch is taken (never older than when the cursor was opened). Usable
 * from any one thread at a time; close it when done or abandoned (it may hold a read transaction).
 */
public interface UpdateCursor extends AutoCloseable {

  /**
   * The next batch, at most the cursor's batch size (and never empty before the end).
   *
   * @return the next writes, or an empty list when there are no more
   */
  List<Update> next();

  /** Releases what the cursor holds; {@link #next()} then returns nothing. Idempotent. */
  @Override
  void close();
}
