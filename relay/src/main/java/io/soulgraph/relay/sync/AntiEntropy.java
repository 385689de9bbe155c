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
import io.soulgraph.relay.gun.MessageIds;
import io.soulgraph.relay.sea.UserSpaceValidator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy between two Soulgraph peers, as protocol messages (docs/sync-protocol.md): right
 * after the handshake each side sends its causal context ({@code ae:"ctx"}); the other answers
 * with exactly the writes it lacks, in batches of at most {@link #MAX_BATCH} updates and one
 * frame, the next only after the previous is acknowledged ({@code ae:"ok"}), and ends with its
 * own context, which the receiver takes over. Memory is bounded at both ends: the sender holds one
 * batch of the store's cursor ({@code SoulStore.missingFor(remote, maxBatch)}), the receiver
 * applies one at a time. Batches pass the SEA validator like any put, and are applied with the
 * peer's session as origin, so what they change is pushed to everyone but that peer.
 */
final class AntiEntropy {

  private static final Logger LOG = LoggerFactory.getLogger(AntiEntropy.class);

  /** The most updates in one batch. */
  static final int MAX_BATCH = 500;

  private final SoulStore store;
  private final GunCodec codec;
  private final Outbox outbox;
  private final Failures failures;
  private final UserSpaceValidator validator;
  private final Executor reads;
  private final Executor delivery;
  private final int maxFrameChars;

  AntiEntropy(
      SoulStore store,
      GunCodec codec,
      Outbox outbox,
      Failures failures,
      UserSpaceValidator validator,
      Executor reads,
      Executor delivery,
      int maxFrameChars) {
    this.store = store;
    this.codec = codec;
    this.outbox = outbox;
    this.failures = failures;
    this.validator = validator;
    this.reads = reads;
    this.delivery = delivery;
    this.maxFrameChars = maxFrameChars;
  }

  /** What one session is being sent: the request it answers, the cursor, what is left of a batch. */
  static final class Stream {
    private final String requestId;
    private final UpdateCursor cursor;
    private final CausalContext senderContext;
    private final Deque<List<Update>> pending = new ArrayDeque<>();
    private volatile String awaitedAck;

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
      String id = MessageIds.next();
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
          sendNext(peer, stream);
        });
  }

  private void acknowledged(GunMessage.AntiEntropy message, Session peer) {
    Stream stream = peer.outgoing();
    if (stream != null && message.replyTo() != null
        && message.replyTo().equals(stream.awaitedAck)) {
      reads.execute(() -> sendNext(peer, stream));
    }
  }

  private void sendNext(Session peer, Stream stream) {
    try {
      if (peer.ended() || peer.outgoing() != stream) {
        stream.close();
        return;
      }
      while (true) {
        if (stream.pending.isEmpty()) {
          List<Update> batch = stream.cursor.next();
          if (batch.isEmpty()) {
            String id = MessageIds.next();
            stream.awaitedAck = id;
            outbox.send(peer, "sync", id,
                GunCodec.antiEntropyBatch(id, stream.requestId, List.of(), stream.senderContext));
            stream.close();
            peer.outgoing(null);
            return;
          }
          stream.pending.add(batch);
        }
        List<Update> batch = stream.pending.poll();
        String id = MessageIds.next();
        String frame = GunCodec.antiEntropyBatch(id, stream.requestId, batch, null);
        if (frame.length() <= maxFrameChars) {
          stream.awaitedAck = id;
          outbox.send(peer, "sync", id, frame);
          return;
        }
        if (batch.size() > 1) { // too big for one frame: halves, in order
          stream.pending.addFirst(batch.subList(batch.size() / 2, batch.size()));
          stream.pending.addFirst(batch.subList(0, batch.size() / 2));
        } else {
          LOG.warn("Not sending {} to {}: one write larger than a frame", batch.get(0).dot(),
              peer);
        }
      }
    } catch (RuntimeException failure) {
      LOG.warn("Anti-entropy to {} stopped: {}", peer, failure.toString());
      stream.close();
      peer.outgoing(null);
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
              } else if (senderContext == null) {
                String id = MessageIds.next();
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
