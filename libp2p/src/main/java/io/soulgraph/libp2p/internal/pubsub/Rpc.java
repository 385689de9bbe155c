package io.soulgraph.libp2p.internal.pubsub;

import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import io.soulgraph.libp2p.internal.util.Protobuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pubsub RPC protobuf ({@code rpc.proto} of the libp2p pubsub spec, with gossipsub's
 * control messages), decoded into plain records. Unknown fields are skipped, as protobuf says;
 * a known field with the wrong wire type or a topic that is not UTF-8 is a protocol violation.
 */
public record Rpc(List<SubOpts> subscriptions, List<Message> publish, Control control) {
  public static final Rpc EMPTY = new Rpc(List.of(), List.of(), Control.EMPTY);

  public Rpc {
    subscriptions = List.copyOf(subscriptions);
    publish = List.copyOf(publish);
  }

  public static Rpc ofMessages(List<Message> messages) {
    return new Rpc(List.of(), messages, Control.EMPTY);
  }

  public static Rpc ofControl(Control control) {
    return new Rpc(List.of(), List.of(), control);
  }

  public boolean isEmpty() {
    return subscriptions.isEmpty() && publish.isEmpty() && control.isEmpty();
  }

  public record SubOpts(boolean subscribe, String topic) {}

  /** A pubsub message; every field but {@code data} may be missing (null) on the wire. */
  public record Message(byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature,
      byte[] key) {
    /** The bytes StrictSign signs, after the {@code "libp2p-pubsub:"} prefix. */
    public byte[] signedPart() {
      return writeSignedFields(new Protobuf.Writer()).toByteArray();
    }

    byte[] encode() {
      Protobuf.Writer w = writeSignedFields(new Protobuf.Writer());
      if (signature != null) {
        w.bytes(5, signature);
      }
      if (key != null) {
        w.bytes(6, key);
      }
      return w.toByteArray();
    }

    /** Fields 1-4: the part of the message the signature covers, in wire order. */
    private Protobuf.Writer writeSignedFields(Protobuf.Writer w) {
      if (from != null) {
        w.bytes(1, from);
      }
      if (data != null) {
        w.bytes(2, data);
      }
      if (seqno != null) {
        w.bytes(3, seqno);
      }
      if (topic != null) {
        w.string(4, topic);
      }
      return w;
    }

    static Message decode(byte[] b) {
      Object[] f = new Object[7];
      Protobuf.parse(b, (n, v) -> {
        if (n >= 1 && n <= 6) {
          f[n] = n == 4 ? utf8(bytes(v, "Message.topic")) : bytes(v, "Message field " + n);
        }
      });
      return new Message((byte[]) f[1], (byte[]) f[2], (byte[]) f[3], (String) f[4],
          (byte[]) f[5], (byte[]) f[6]);
    }

    /** The wire size, for accounting. */
    public int size() {
      return len(from) + len(data) + len(seqno) + (topic == null ? 0 : topic.length())
          + len(signature) + len(key) + 12;
    }
  }

  public record IHave(String topic, List<byte[]> messageIds) {}

  public record IWant(List<byte[]> messageIds) {}

  public record Graft(String topic) {}

  /** {@code backoffSeconds} is 0 when the peer sent none (v1.0). Peer exchange is ignored. */
  public record Prune(String topic, long backoffSeconds) {}

  public record Control(List<IHave> ihave, List<IWant> iwant, List<Graft> graft,
      List<Prune> prune) {
    public static final Control EMPTY = new Control(List.of(), List.of(), List.of(), List.of());

    public Control {
      ihave = List.copyOf(ihave);
      iwant = List.copyOf(iwant);
      graft = List.copyOf(graft);
      prune = List.copyOf(prune);
    }

    public boolean isEmpty() {
      return ihave.isEmpty() && iwant.isEmpty() && graft.isEmpty() && prune.isEmpty();
    }
  }

  /** Encodes the RPC, without the length prefix. */
  public byte[] encode() {
    Protobuf.Writer w = new Protobuf.Writer();
    for (SubOpts s : subscriptions) {
      w.bytes(1, new Protobuf.Writer().varint(1, s.subscribe() ? 1 : 0).string(2, s.topic())
          .toByteArray());
    }
    for (Message m : publish) {
      w.bytes(2, m.encode());
    }
    if (!control.isEmpty()) {
      Protobuf.Writer c = new Protobuf.Writer();
      for (IHave h : control.ihave()) {
        Protobuf.Writer x = new Protobuf.Writer().string(1, h.topic());
        h.messageIds().forEach(id -> x.bytes(2, id));
        c.bytes(1, x.toByteArray());
      }
      for (IWant iw : control.iwant()) {
        Protobuf.Writer x = new Protobuf.Writer();
        iw.messageIds().forEach(id -> x.bytes(1, id));
        c.bytes(2, x.toByteArray());
      }
      for (Graft g : control.graft()) {
        c.bytes(3, new Protobuf.Writer().string(1, g.topic()).toByteArray());
      }
      for (Prune p : control.prune()) {
        Protobuf.Writer x = new Protobuf.Writer().string(1, p.topic());
        if (p.backoffSeconds() > 0) {
          x.varint(3, p.backoffSeconds());
        }
        c.bytes(4, x.toByteArray());
      }
      w.bytes(3, c.toByteArray());
    }
    return w.toByteArray();
  }

  /**
   * Decodes one RPC (without its length prefix).
   *
   * @throws ProtocolViolationException if it is not a well-formed pubsub RPC
   */
  public static Rpc decode(byte[] b) {
    List<SubOpts> subs = new ArrayList<>();
    List<Message> msgs = new ArrayList<>();
    List<IHave> ihave = new ArrayList<>();
    List<IWant> iwant = new ArrayList<>();
    List<Graft> graft = new ArrayList<>();
    List<Prune> prune = new ArrayList<>();
    Protobuf.parse(b, (n, v) -> {
      switch (n) {
        case 1 -> subs.add(decodeSubOpts(bytes(v, "RPC.subscriptions")));
        case 2 -> msgs.add(Message.decode(bytes(v, "RPC.publish")));
        case 3 -> decodeControl(bytes(v, "RPC.control"), ihave, iwant, graft, prune);
        default -> { }
      }
    });
    return new Rpc(subs, msgs, new Control(ihave, iwant, graft, prune));
  }

  private static SubOpts decodeSubOpts(byte[] b) {
    boolean[] subscribe = {false};
    String[] topic = {null};
    Protobuf.parse(b, (n, v) -> {
      if (n == 1) {
        subscribe[0] = varint(v, "SubOpts.subscribe") != 0;
      } else if (n == 2) {
        topic[0] = utf8(bytes(v, "SubOpts.topicid"));
      }
    });
    if (topic[0] == null) {
      throw new ProtocolViolationException("subscription without a topic");
    }
    return new SubOpts(subscribe[0], topic[0]);
  }

  private static void decodeControl(byte[] b, List<IHave> ihave, List<IWant> iwant,
      List<Graft> graft, List<Prune> prune) {
    Protobuf.parse(b, (n, v) -> {
      switch (n) {
        case 1 -> {
          String[] topic = {""};
          List<byte[]> ids = new ArrayList<>();
          Protobuf.parse(bytes(v, "ControlIHave"), (m, x) -> {
            if (m == 1) {
              topic[0] = utf8(bytes(x, "ControlIHave.topicID"));
            } else if (m == 2) {
              ids.add(bytes(x, "ControlIHave.messageIDs"));
            }
          });
          ihave.add(new IHave(topic[0], ids));
        }
        case 2 -> {
          List<byte[]> ids = new ArrayList<>();
          Protobuf.parse(bytes(v, "ControlIWant"), (m, x) -> {
            if (m == 1) {
              ids.add(bytes(x, "ControlIWant.messageIDs"));
            }
          });
          iwant.add(new IWant(ids));
        }
        case 3 -> {
          String[] topic = {""};
          Protobuf.parse(bytes(v, "ControlGraft"), (m, x) -> {
            if (m == 1) {
              topic[0] = utf8(bytes(x, "ControlGraft.topicID"));
            }
          });
          graft.add(new Graft(topic[0]));
        }
        case 4 -> {
          String[] topic = {""};
          long[] backoff = {0};
          Protobuf.parse(bytes(v, "ControlPrune"), (m, x) -> {
            if (m == 1) {
              topic[0] = utf8(bytes(x, "ControlPrune.topicID"));
            } else if (m == 3) {
              backoff[0] = varint(x, "ControlPrune.backoff");
            }
          });
          prune.add(new Prune(topic[0], backoff[0]));
        }
        default -> { } // IDONTWANT (v1.2) and anything newer: we do not speak it
      }
    });
  }

  private static byte[] bytes(Object v, String what) {
    if (v instanceof byte[] b) {
      return b;
    }
    throw new ProtocolViolationException(what + " must be length-delimited");
  }

  private static long varint(Object v, String what) {
    if (v instanceof Long l) {
      return l;
    }
    throw new ProtocolViolationException(what + " must be a varint");
  }

  private static String utf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolViolationException("topic is not UTF-8");
    }
  }

  private static int len(byte[] b) {
    return b == null ? 0 : b.length;
  }
}
