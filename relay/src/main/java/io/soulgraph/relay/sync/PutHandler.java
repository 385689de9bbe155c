package io.soulgraph.relay.sync;

import io.soulgraph.graph.InvalidDiffException;
import io.soulgraph.graph.PutRefusedException;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.StoreBusyException;
import io.soulgraph.ham.Graph;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.gun.GunException;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.gun.GunMessage;
import io.soulgraph.relay.gun.JsonSize;
import io.soulgraph.relay.gun.MessageIds;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.sea.Verdict;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges puts into the store (HAM, deferral and commit are the store's) and acks them after the
 * commit. A put that answers a get ({@code @}) is routed to the asker and stored, not acked.
 *
 * <p>Ack rule: a put is acked once committed if any field was accepted, or if every field was
 * already stored exactly (a retry). Like GunDB, a put whose fields all lost to newer states, or
 * were deferred to a future state, gets no ack.
 *
 * <p>SEA ({@link UserSpaceValidator}) runs first, off the socket thread for signed souls: refused
 * fields are answered with GunDB's error text and never stored, routed or pushed; the put's valid
 * fields are still stored (as GunDB does) but the put is never acked.
 */
final class PutHandler {

  private static final Logger LOG = LoggerFactory.getLogger(PutHandler.class);

  private final SoulStore store;
  private final MessageLog log;
  private final Outbox outbox;
  private final RelayMetrics metrics;
  private final UserSpaceValidator validator;
  private final GunLimits.Memory memory;
  private final Executor delivery;
  private final Failures failures;

  /** @param delivery where acks and failures are answered: never the store's commit thread */
  PutHandler(
      SoulStore store,
      MessageLog log,
      Outbox outbox,
      RelayMetrics metrics,
      UserSpaceValidator validator,
      GunLimits.Memory memory,
      Executor delivery,
      Failures failures) {
    this.store = store;
    this.failures = failures;
    this.delivery = delivery;
    this.memory = memory;
    this.validator = validator;
    this.log = log;
    this.outbox = outbox;
    this.metrics = metrics;
  }

  /**
   * Reads, stores and acks (or routes) a put.
   *
   * @throws InvalidDiffException if the graph is invalid (nothing of it is applied)
   * @throws GunException.LimitExceeded if the put is larger than maxPutBytes or maxPutFields
   *     (nothing of it is applied)
   */
  void handle(GunMessage.Put message, Session writer) {
    long bytes = JsonSize.of(message.put(), memory.maxPutBytes());
    if (bytes > memory.maxPutBytes()) {
      throw new GunException.LimitExceeded("Expected a put of at most " + memory.maxPutBytes()
          + " bytes but received more; nothing of it was applied");
    }
    Graph diff = GunCodec.readGraph(message.put());
    if (diff.fieldCount() > memory.maxPutFields()) {
      throw new GunException.LimitExceeded("Expected a put of at most " + memory.maxPutFields()
          + " fields but received " + diff.fieldCount() + "; nothing of it was applied");
    }
    writer.budget().beginPut(bytes);
    long arrived = System.nanoTime();
    CompletableFuture<Verdict> verified;
    try {
      verified = validator.verify(diff);
    } catch (RuntimeException busy) { // SEA's queue is full
      writer.budget().endPut(bytes);
      throw busy;
    }
    verified.whenComplete(
            (verdict, refused) -> {
              if (refused != null) {
                writer.budget().endPut(bytes);
                failures.onPut(writer, message.id(), refused);
              } else {
                try {
                  commit(message, writer, verdict, arrived, bytes);
                } catch (RuntimeException failure) { // e.g. the store refusing synchronously
                  writer.budget().endPut(bytes);
                  failures.onPut(writer, message.id(), failure);
                }
              }
            });
  }

  private void commit(
      GunMessage.Put message, Session writer, Verdict verdict, long arrived, long bytes) {
    if (verdict.refused()) {
      metrics.put("unverified");
      LOG.debug("Put {} from {}: {} field(s) refused: {}", message.id(), writer,
          verdict.refusedFields(), verdict.error());
      String id = MessageIds.next();
      outbox.send(writer, "err", id, GunCodec.error(id, message.id(), verdict.error()));
      if (verdict.accepted().isEmpty()) {
        writer.budget().endPut(bytes);
        return;
      }
    }
    Graph diff = verdict.accepted();
    Session asker = null;
    if (message.replyTo() != null) {
      asker = routeAnswer(message, diff);
    }
    CompletableFuture<PutResult> committed = store.put(diff, new PutOrigin(writer, asker));
    BiConsumer<PutResult, Throwable> answer =
        (result, failure) -> {
          writer.budget().endPut(bytes);
          if (failure == null) {
            try {
              acknowledge(message, writer, verdict, arrived, result);
            } catch (RuntimeException bug) {
              failures.onPut(writer, message.id(), bug);
            }
          } else {
            failures.onPut(writer, message.id(), failure);
          }
        };
    if (committed.isDone()) {
      committed.whenComplete(answer); // refused at once: answer before the sender's next message
    } else {
      committed.whenCompleteAsync(answer, delivery); // never on the store's commit thread
    }
  }

  private void acknowledge(
      GunMessage.Put message, Session writer, Verdict verdict, long arrived, PutResult result) {
    metrics.commitLatency(System.nanoTime() - arrived);
    count(result);
    if (message.replyTo() == null && !verdict.refused() && acks(result)) {
      String id = MessageIds.next();
      outbox.send(writer, "ack", id, GunCodec.ack(id, message.id()));
      metrics.ack();
    }
  }

  /** Routes an answer to the session that asked; returns it (it has the answer), or null. */
  private Session routeAnswer(GunMessage.Put message, Graph diff) {
    Session asker = log.routeOf(message.replyTo()).orElse(null);
    if (asker != null) {
      outbox.forward(asker, "reply", GunCodec.reply(message.id(), message.replyTo(), diff));
    }
    return asker;
  }

  static boolean acks(PutResult result) {
    return !result.accepted().isEmpty()
        || (result.deferred().isEmpty() && result.historical() == 0);
  }

  private void count(PutResult result) {
    if (!result.accepted().isEmpty()) {
      metrics.put("accepted");
    } else if (!result.deferred().isEmpty()) {
      metrics.put("deferred");
    } else {
      metrics.put("ignored");
    }
  }

}
