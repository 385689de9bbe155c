package io.soulgraph.relay.gun;

import io.soulgraph.graph.GraphJson;
import io.soulgraph.graph.InvalidDiffException;
import io.soulgraph.graph.PutRefusedException;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.graph.StoreBusyException;
import io.soulgraph.ham.Graph;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.sea.Verdict;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
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

  PutHandler(
      SoulStore store,
      MessageLog log,
      Outbox outbox,
      RelayMetrics metrics,
      UserSpaceValidator validator,
      GunLimits.Memory memory) {
    this.store = store;
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
  void handle(GunMessage message, Peer writer) {
    long bytes = JsonSize.of(message.put(), memory.maxPutBytes());
    if (bytes > memory.maxPutBytes()) {
      throw new GunException.LimitExceeded("Expected a put of at most " + memory.maxPutBytes()
          + " bytes but received more; nothing of it was applied");
    }
    Graph diff = read(message);
    if (diff.fieldCount() > memory.maxPutFields()) {
      throw new GunException.LimitExceeded("Expected a put of at most " + memory.maxPutFields()
          + " fields but received " + diff.fieldCount() + "; nothing of it was applied");
    }
    writer.budget().beginPut(bytes);
    long arrived = System.nanoTime();
    validator
        .verify(diff)
        .whenComplete(
            (verdict, refused) -> {
              if (refused != null) {
                writer.budget().endPut(bytes);
                answerFailure(message, writer, unwrap(refused));
              } else {
                try {
                  commit(message, writer, verdict, arrived, bytes);
                } catch (RuntimeException failure) { // e.g. the store refusing synchronously
                  writer.budget().endPut(bytes);
                  answerFailure(message, writer, failure);
                }
              }
            });
  }

  private void commit(
      GunMessage message, Peer writer, Verdict verdict, long arrived, long bytes) {
    if (verdict.refused()) {
      metrics.put("unverified");
      LOG.debug("Put {} from {}: {} field(s) refused: {}", message.id(), writer.id(),
          verdict.refusedFields(), verdict.error());
      String id = MessageIds.next();
      outbox.send(writer, "err", id, GunCodec.error(id, message.id(), verdict.error()));
      if (verdict.accepted().isEmpty()) {
        writer.budget().endPut(bytes);
        return;
      }
    }
    Graph diff = verdict.accepted();
    if (message.replyTo() != null) {
      routeAnswer(message, diff);
    }
    store
        .put(diff, writer)
        .whenComplete(
            (result, failure) -> {
              writer.budget().endPut(bytes);
              if (failure != null) {
                answerFailure(message, writer, unwrap(failure));
              } else {
                metrics.commitLatency(System.nanoTime() - arrived);
                count(result);
                if (message.replyTo() == null && !verdict.refused() && acks(result)) {
                  String id = MessageIds.next();
                  outbox.send(writer, "ack", id, GunCodec.ack(id, message.id()));
                  metrics.ack();
                }
              }
            });
  }

  private static Graph read(GunMessage message) {
    try {
      return GraphJson.read(message.put());
    } catch (InvalidDiffException invalid) {
      throw invalid;
    } catch (IllegalArgumentException invalid) {
      throw new InvalidDiffException(null, null, invalid.getMessage());
    }
  }

  private void routeAnswer(GunMessage message, Graph diff) {
    log.routeOf(message.replyTo())
        .ifPresent(
            asker ->
                outbox.forward(
                    asker,
                    "reply",
                    GunCodec.reply(message.id(), message.replyTo(), diff)));
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

  private void answerFailure(GunMessage message, Peer writer, Throwable failure) {
    String text;
    if (failure instanceof InvalidDiffException invalid) {
      metrics.put("invalid");
      text = invalid.getMessage();
    } else if (failure instanceof PutRefusedException refused) {
      metrics.error("limit");
      LOG.debug("Put {} from {} refused by the store: {}", message.id(), writer.id(), refused);
      text = "Refused: " + refused.getMessage();
    } else if (failure instanceof StoreBusyException
        || failure instanceof RejectedExecutionException) {
      // the store's write queue is full (or it is closing), or SEA's is: load, not a fault
      metrics.error("busy");
      LOG.debug("Put {} from {} refused by the store: {}", message.id(), writer.id(), failure);
      text = "Busy: " + failure.getMessage() + "; resend later";
    } else {
      metrics.error("store");
      // the store logs a failing backend once at ERROR and /health reports it
      LOG.debug("Put {} from {} failed in the store", message.id(), writer.id(), failure);
      text = "Storage failed: " + failure.getMessage();
    }
    String id = MessageIds.next();
    outbox.send(writer, "err", id, GunCodec.error(id, message.id(), text));
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
