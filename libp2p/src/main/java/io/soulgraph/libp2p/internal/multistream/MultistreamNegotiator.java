package io.soulgraph.libp2p.internal.multistream;

import io.netty.buffer.ByteBuf;
import io.soulgraph.libp2p.Libp2pException.NoSuchRemoteProtocolException;
import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import io.soulgraph.libp2p.internal.util.Varint;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * The multistream-select 1.0 state machine for one side of one negotiation, free of any I/O:
 * feed it inbound bytes, send what it returns. Used on connections (security, muxer) and on
 * every yamux stream (application protocols).
 *
 * <p>Like js-libp2p, the dialer sends the header and its first proposal together, and the
 * listener says nothing until it has read the dialer's header.
 */
public final class MultistreamNegotiator {
  /** A listener answers {@code na} this many times, then gives up on the peer. */
  static final int MAX_PROPOSALS = 32;

  private final boolean dialer;
  private final Deque<String> proposals;
  private final Supplier<List<String>> supported;
  private boolean headerSeen;
  private int proposalsSeen;
  private String selected;

  private MultistreamNegotiator(boolean dialer, List<String> proposals,
      Supplier<List<String>> supported) {
    this.dialer = dialer;
    this.proposals = new ArrayDeque<>(proposals);
    this.supported = supported;
  }

  /** Proposes {@code protocols} in order of preference. */
  public static MultistreamNegotiator dialer(List<String> protocols) {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("expected at least one protocol to propose");
    }
    return new MultistreamNegotiator(true, protocols, List::of);
  }

  /** Accepts any protocol in {@code supported} (read at each proposal). */
  public static MultistreamNegotiator listener(Supplier<List<String>> supported) {
    return new MultistreamNegotiator(false, List.of(), supported);
  }

  /** What to send first: header plus first proposal for a dialer, nothing for a listener. */
  public byte[] start() {
    return dialer ? MultistreamCodec.encode(MultistreamCodec.PROTOCOL_ID, proposals.peek())
        : new byte[0];
  }

  public boolean isDone() {
    return selected != null;
  }

  /** The agreed protocol, or null while negotiating. */
  public String selected() {
    return selected;
  }

  /**
   * Consumes whole messages from {@code in} until done or out of bytes; bytes after the
   * deciding message stay in {@code in} (they belong to the selected protocol).
   *
   * @return bytes to send to the peer, possibly empty
   * @throws NoSuchRemoteProtocolException when the remote refused every proposal
   * @throws ProtocolViolationException on malformed or unexpected messages
   */
  public byte[] onData(ByteBuf in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String msg;
    while (selected == null && (msg = MultistreamCodec.tryDecode(in)) != null) {
      if (!headerSeen) {
        if (!MultistreamCodec.PROTOCOL_ID.equals(msg)) {
          throw new ProtocolViolationException("expected multistream header but received '"
              + printable(msg) + "'");
        }
        headerSeen = true;
        if (!dialer) {
          MultistreamCodec.encode(out, MultistreamCodec.PROTOCOL_ID);
        }
      } else if (dialer) {
        onAnswer(msg, out);
      } else {
        onProposal(msg, out);
      }
    }
    return out.toByteArray();
  }

  private void onAnswer(String msg, ByteArrayOutputStream out) {
    String proposed = proposals.peek();
    if (msg.equals(proposed)) {
      selected = proposed;
    } else if (MultistreamCodec.NA.equals(msg)) {
      proposals.poll();
      if (proposals.isEmpty()) {
        throw new NoSuchRemoteProtocolException("remote supports none of the proposed protocols");
      }
      MultistreamCodec.encode(out, proposals.peek());
    } else {
      throw new ProtocolViolationException("expected '" + proposed + "' or 'na' but received '"
          + printable(msg) + "'");
    }
  }

  private void onProposal(String msg, ByteArrayOutputStream out) {
    if (++proposalsSeen > MAX_PROPOSALS) {
      throw new ProtocolViolationException("more than " + MAX_PROPOSALS + " proposals refused");
    }
    List<String> ours = supported.get();
    if (MultistreamCodec.LS.equals(msg)) {
      out.writeBytes(lsAnswer(ours));
    } else if (ours.contains(msg)) {
      selected = msg;
      MultistreamCodec.encode(out, msg);
    } else {
      MultistreamCodec.encode(out, MultistreamCodec.NA);
    }
  }

  /** {@code ls}: one message whose body is each protocol as a message, then a newline. */
  private static byte[] lsAnswer(List<String> protocols) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    protocols.forEach(p -> MultistreamCodec.encode(body, p));
    body.write('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
