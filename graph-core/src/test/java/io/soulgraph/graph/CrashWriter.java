package io.soulgraph.graph;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link BerkeleyJeCrashIT}: puts diffs into a berkeleyje store as fast as
 * it can, from several threads, and appends the number of each ACKNOWLEDGED diff to a file, until
 * it is killed. Diff {@code i} of round {@code r} sets field {@code r-i} of soul {@code s(i%64)}
 * to {@code i} and field {@code last} of soul {@code last-r} to {@code i} at state {@code i}.
 */
public final class CrashWriter {

  static final long BASE_STATE = 1_700_000_000_000L;
  static final int IN_FLIGHT = 64;

  private CrashWriter() {}

  static Graph diff(String round, long i) {
    return Graph.of(
        Node.empty("s" + (i % 64)).with(round + "-" + i, Value.of(i), BASE_STATE + i),
        Node.empty("last-" + round).with("last", Value.of(i), BASE_STATE + i));
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Path ackFile = Path.of(args[1]);
    String round = args[2];
    SoulStore store = SoulStores.open(StoreConfig.berkeleyJe(dataDir));
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicLong next = new AtomicLong();
    try (OutputStream acks = new FileOutputStream(ackFile.toFile(), true)) {
      System.out.println("READY");
      System.out.flush();
      while (true) {
        inFlight.acquire();
        long i = next.getAndIncrement();
        CompletableFuture<PutResult> ack = store.put(diff(round, i), null);
        ack.whenComplete((result, error) -> {
          if (error == null) {
            record(acks, i);
          }
          inFlight.release();
        });
      }
    }
  }

  private static void record(OutputStream acks, long i) {
    synchronized (acks) {
      try {
        acks.write((i + "\n").getBytes(StandardCharsets.US_ASCII));
        acks.flush(); // into the OS: it survives kill -9 of this process
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
