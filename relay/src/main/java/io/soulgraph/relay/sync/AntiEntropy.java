package io.soulgraph.relay.sync;

import io.soulgraph.graph.SoulStore;
import io.soulgraph.ham.CausalContext;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Update;
import io.soulgraph.ham.UpdateCursor;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.relay.gun.GunException;
import io.soulgraph.relay.gun.GunMessage;
import io.soulgraph.relay.metrics.RelayMetrics;
import io.soulgraph.relay.sea.UserSpaceValidator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy between two Soulgraph peers, as protocol messages (docs/sync-protocol.md): right
 * after the handshake each side sends its causal context ({@code ae:"ctx"}); the other answers
 * with exactly the writes it lacks, in batches of at most {@link #MAX_BATCH} updates and one
 * frame, at most {@link #WINDOW} of them unacknowledged ({@code ae:"ok"}), and ends, once all
 * are acknowledged, with its own context, which the receiver takes over. Memory is bounded at both
 * ends: the sender reads the store's cursor ({@code SoulStore.missingFor(remote, maxBatch)}) one
 * batch at a time as acknowledgements come, the receiver holds at most the window. Batches pass
 * the SEA validator like any put, and are applied with the peer's session as origin, so what they
 * change is pushed to everyone but that peer.
 */
final class AntiEntropy {

  private static final Logger LOG = LoggerFactory.getLogger(AntiEntropy.class);

  /** The most updates in one batch. */
  static final int MAX_BATCH = 500;

  /**
   * The most batches sent and not yet acknowledged: enough that reading, encoding and sending the
   * next batches overlaps the receiver's commit of the previous ones, few enough that each end
   * holds a handful of frames.
   */
  static final int WINDOW = 4;

  private final SoulStore store;
  private final GunCodec codec;
  private final Outbox outbox;
  private final Failures failures;
  private final UserSpaceValidator validator;
  private final Executor reads;
  private final Executor delivery;
  private final int maxFrameChars;
  private final RelayMetrics metrics;

  AntiEntropy(
      SoulStore store,
      GunCodec codec,
      Outbox outbox,
      Failures failures,
      UserSpaceValidator validator,
      Executor reads,
      Executor delivery,
      int maxFrameChars,
      RelayMetrics metrics) {
    this.store = store;
    this.codec = codec;
    this.outbox = outbox;
    this.failures = failures;
    this.validator = validator;
    this.reads = reads;
    this.delivery = delivery;
    this.maxFrameChars = maxFrameChars;
    this.metrics = metrics;
  }

  /**
   * What one session is being sent: the request it answers, the cursor, what is left of a batch,
   * and the batches sent but not yet acknowledged. Used only on the {@code reads} thread.
   */
  static final class Stream {
    private final String requestId;
    private final UpdateCursor cursor;
    private final CausalContext senderContext;
    private final Deque<List<Update>> pending = new ArrayDeque<>();
    private final Set<String> unacknowledged = new HashSet<>();
    private boolean drained;

    Stream(String requestId, UpdateCursor cursor, CausalContext senderContext) {
      this.requestId = requestId;
      this.cursor = cursor;
      this.senderContext = senderContext;
    }

    void close() {
      cursor.close();
    }
  }

  /** Starts the exchange with a peer whose handshake proved it a Soulgraph peer (once). */
  void start(Session peer) {
    if (peer.startAntiEntropy()) {
      metrics.catchUpRound();
      String id = outbox.newId();
      outbox.send(peer, "sync", id, GunCodec.antiEntropyContext(id, store.context()));
    }
  }

  /** Handles one {@code ae} message of a Soulgraph peer. */
  void handle(GunMessage.AntiEntropy message, Session peer) {
    if (peer.role() != Role.SOULGRAPH_PEER) {
      throw new GunException.BadFrame(
          "Expected anti-entropy messages only from a Soulgraph peer of this network");
    }
    switch (message.step()) {
      case "ctx" -> answer(message, peer);
      case "batch" -> apply(message, peer);
      case "ok" -> acknowledged(message, peer);
      default -> throw new GunException.BadFrame(
          "Expected ae 'ctx', 'batch' or 'ok' but received '" + message.step() + "'");
    }
  }

  private void answer(GunMessage.AntiEntropy message, Session peer) {
    CausalContext remote = codec.readContext(message.raw());
    if (remote == null) {
      throw new GunException.BadFrame("Expected ae 'ctx' to carry ctx");
    }
    reads.execute(
        () -> {
          Stream previous = peer.outgoing();
          if (previous != null) {
            previous.close();
          }
          CausalContext mine = store.context(); // before the cursor: it may claim no more
          Stream stream = new Stream(message.id(), store.missingFor(remote, MAX_BATCH), mine);
          peer.outgoing(stream);
          sendMore(peer, stream);
        });
  }

  private void acknowledged(GunMessage.AntiEntropy message, Session peer) {
    String batchId = message.replyTo();
    if (batchId == null) {
      return;
    }
    reads.execute(
        () -> {
          Stream stream = peer.outgoing();
          if (stream != null && stream.unacknowledged.remove(batchId)) {
            sendMore(peer, stream);
          }
        });
  }

  /**
   * Sends batches until {@link #WINDOW} are unacknowledged; once the cursor is drained and every
   * batch acknowledged, the last one, carrying the sender's context (only then: taking it over
   * claims every write of the stream, so they must all be committed first).
   */
  private void sendMore(Session peer, Stream stream) {
    try {
      if (peer.ended() || peer.outgoing() != stream) {
        stream.close();
        return;
      }
      while (stream.unacknowledged.size() < WINDOW && !stream.drained) {
        if (stream.pending.isEmpty()) {
          List<Update> batch = stream.cursor.next();
          if (batch.isEmpty()) {
            stream.drained = true;
            break;
          }
          stream.pending.add(batch);
        }
        sendOne(peer, stream, stream.pending.poll());
      }
      if (stream.drained && stream.unacknowledged.isEmpty()) {
        String id = outbox.newId();
        outbox.send(peer, "sync", id,
            GunCodec.antiEntropyBatch(id, stream.requestId, List.of(), stream.senderContext));
        stream.close();
        peer.outgoing(null);
      }
    } catch (RuntimeException failure) {
      LOG.warn("Anti-entropy to {} stopped: {}", peer, failure.toString());
      stream.close();
      peer.outgoing(null);
    }
  }

  /** Sends one batch, or queues its halves in order if it does not fit in a frame. */
  private void sendOne(Session peer, Stream stream, List<Update> batch) {
    String id = outbox.newId();
    String frame = GunCodec.antiEntropyBatch(id, stream.requestId, batch, null);
    if (frame.length() <= maxFrameChars) {
      stream.unacknowledged.add(id);
      outbox.send(peer, "sync", id, frame);
      metrics.catchUpUpdatesSent(batch.size());
    } else if (batch.size() > 1) {
      stream.pending.addFirst(batch.subList(batch.size() / 2, batch.size()));
      stream.pending.addFirst(batch.subList(0, batch.size() / 2));
    } else {
      LOG.warn("Not sending {} to {}: one write larger than a frame", batch.get(0).dot(), peer);
    }
  }

  private void apply(GunMessage.AntiEntropy message, Session peer) {
    List<Update> updates = codec.readUpdates(message.raw());
    CausalContext senderContext = codec.readContext(message.raw());
    validator
        .verify(graphOf(updates))
        .thenCompose(
            verdict -> {
              List<Update> accepted = verdict.refused()
                  ? updates.stream().filter(u -> verdict.accepted().nodes()
                      .getOrDefault(u.soul(), Node.empty(u.soul())).fields()
                      .containsKey(u.field())).toList()
                  : updates;
              // a peer that sent forged writes does not get its context taken over
              return store.applyAntiEntropy(accepted,
                  verdict.refused() ? null : senderContext, new PutOrigin(peer, null));
            })
        .whenCompleteAsync(
            (result, failure) -> {
              if (failure != null) {
                failures.onPut(peer, message.id(), failure);
                return;
              }
              metrics.catchUpUpdatesReceived(updates.size());
              if (senderContext == null) {
                String id = outbox.newId();
                outbox.send(peer, "sync", id, GunCodec.antiEntropyAck(id, message.id()));
              } else {
                LOG.debug("Anti-entropy from {} done", peer);
              }
            },
            delivery);
  }

  private static Graph graphOf(List<Update> updates) {
    java.util.Map<String, Node> nodes = new java.util.LinkedHashMap<>();
    for (Update u : updates) {
      nodes.merge(u.soul(),
          Node.empty(u.soul()).with(u.field(), u.fieldState().value(), u.fieldState().state()),
          (a, b) -> a.with(u.field(), u.fieldState().value(), u.fieldState().state()));
    }
    return new Graph(nodes);
  }

  /** A session ended: its stream's cursor is released. */
  void closed(Session peer) {
    Stream stream = peer.outgoing();
    if (stream != null) {
      peer.outgoing(null);
      reads.execute(stream::close);
    }
  }
}
