package io.soulgraph.relay.sync;

import io.soulgraph.graph.InvalidDiffException;
import io.soulgraph.graph.PutResult;
import io.soulgraph.graph.SoulStore;
import io.soulgraph.ham.Graph;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.gun.GunException;
import io.soulgraph.relay.gun.GunLimits;
import io.soulgraph.relay.gun.GunMessage;
import io.soulgraph.relay.gun.JsonSize;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import io.soulgraph.relay.sea.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges puts into the store (HAM, deferral and commit are the store's) and acks them after the
 * commit. A put that answers a get ({@code @}) is routed to the asker and stored, not acked. A
 * put from a Soulgraph peer or gossipsub, held by its sender already, is pushed to subscribers
 * when it arrives ({@link ChangeFanout#pushEarly}); any other after its commit.
 *
 * <p>Ack rule: a put is acked once committed if any field was accepted, or if every field was
 * already stored exactly (a retry). Like GunDB, a put whose fields all lost to newer states, or
 * were deferred to a future state, gets no ack.
 *
 * <p>SEA ({@link UserSpaceValidator}) runs first, off the socket thread for signed souls: refused
 * fields are answered with GunDB's error text and never stored, routed or pushed; the put's valid
 * fields are still stored (as GunDB does) but the put is never acked.
 *
 * <p>Big puts: the store gets a put in pieces through the writer's {@link PutLane}, so other
 * sessions' puts are committed between them. The ack comes once every piece is committed. If a
 * piece fails, the rest of the put is not offered and the {@code err} says how many fields were
 * stored and which souls were not (fully) stored: the stored pieces stay (each was durable when
 * committed, as HAM merges them no differently from separate puts). An invalid graph is refused
 * before any piece enters the store, so nothing of it is applied.
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
  private final ChangeFanout fanout;

  /**
   * @param delivery where acks and failures are answered: never the store's commit thread
   * @param fanout pushes a Soulgraph peer's change to subscribers before it is committed here
   */
  PutHandler(
      SoulStore store,
      MessageLog log,
      Outbox outbox,
      RelayMetrics metrics,
      UserSpaceValidator validator,
      GunLimits.Memory memory,
      Executor delivery,
      Failures failures,
      ChangeFanout fanout) {
    this.store = store;
    this.fanout = fanout;
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
      store.validate(diff); // before any piece is stored: an invalid put applies nothing
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
                } catch (RuntimeException failure) { // a bug before any piece was offered
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
      String id = outbox.newId();
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
    PutOrigin origin = writer.role() == Role.SOULGRAPH_PEER || writer.link().sendsHeldChanges()
        ? new PutOrigin(writer, asker, ConcurrentHashMap.newKeySet())
        : new PutOrigin(writer, asker);
    if (origin.pushedEarly() != null && !diff.isEmpty()) {
      fanout.pushEarly(diff, origin); // committed by the peer already: see pushEarly
    }
    List<Graph> parts = PutLane.parts(diff, store.pieceOrder());
    boolean pieced = parts.size() > 1;
    List<List<Graph>> piecesOfParts = new ArrayList<>(parts.size());
    int pieceCount = 0;
    for (Graph part : parts) {
      List<Graph> pieces = pieced ? PutLane.split(part, writer.pieceFields()) : List.of(part);
      piecesOfParts.add(pieces);
      pieceCount += pieces.size();
    }
    PiecedPut put = new PiecedPut(diff.fieldCount(), pieceCount);
    Thread caller = Thread.currentThread();
    // The answer keeps the message id, not the message nor its graph: a big put's pieces wait
    // seconds for the store, and the frame's JSON tree and the parsed graph, held that long, were
    // copied by every young collection meanwhile (docs/benchmarks.md, fairness)
    String messageId = message.id();
    boolean acks = message.replyTo() == null && !verdict.refused();
    Runnable answer = () -> {
      writer.budget().endPut(bytes);
      try {
        answer(messageId, acks, writer, arrived, put);
      } catch (RuntimeException bug) {
        failures.onPut(writer, messageId, bug);
      }
    };
    // A put wider than one part has the store prepare each part (declare its new field names) off
    // the writer, in order, while the pieces before it commit. A put of one part, nearly every
    // put, goes straight in: the hand-over to another thread would cost it more than it saves.
    Function<Graph, CompletableFuture<PutResult>> toStore = pieced
        ? piece -> store.putPiece(piece, origin)
        : whole -> store.put(whole, origin);
    for (int i = 0; i < parts.size(); i++) {
      CompletableFuture<Void> ready = pieced
          ? store.prepare(parts.get(i)) : CompletableFuture.completedFuture(null);
      for (Graph piece : piecesOfParts.get(i)) {
        offer(writer, piece, ready, toStore, put, caller, answer);
      }
    }
  }

  private void offer(Session writer, Graph piece, CompletableFuture<Void> ready,
      Function<Graph, CompletableFuture<PutResult>> toStore, PiecedPut put, Thread caller,
      Runnable answer) {
    writer.lane().offer(new PutLane.Piece(piece, ready, toStore,
        (result, failure) -> {
          if (!put.record(piece, result, failure)) {
            return;
          }
          if (Thread.currentThread() == caller) {
            answer.run(); // refused at once: answer before the sender's next message
          } else {
            delivery.execute(answer); // never on the store's commit thread
          }
        }, put::failed), writer.storeShare());
  }

  /**
   * @param acks whether a stored put is acked: it answers no get and SEA refused none of it
   */
  private void answer(String messageId, boolean acks, Session writer, long arrived, PiecedPut put) {
    if (writer.ended()) {
      return; // its connection is gone: nobody to answer
    }
    if (put.failure() != null) {
      if (put.storedFields() == 0) {
        failures.onPut(writer, messageId, put.failure()); // nothing applied: as before
      } else {
        failures.onPut(writer, messageId, put.failure(), put.partialText());
      }
      return;
    }
    metrics.commitLatency(System.nanoTime() - arrived);
    count(put);
    if (acks && put.acks()) {
      String id = outbox.newId();
      outbox.send(writer, "ack", id, GunCodec.ack(id, messageId));
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

  private void count(PiecedPut put) {
    if (put.acceptedFields() > 0) {
      metrics.put("accepted");
    } else if (put.deferredFields() > 0) {
      metrics.put("deferred");
    } else {
      metrics.put("ignored");
    }
  }
}
