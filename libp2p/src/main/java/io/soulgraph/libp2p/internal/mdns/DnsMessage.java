package io.soulgraph.libp2p.internal.mdns;

import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough DNS (RFC 1035) for libp2p mDNS: questions, and PTR and TXT records; other records
 * are kept with raw data. Reads compressed names; writes uncompressed ones.
 */
public record DnsMessage(int id, int flags, List<Question> questions, List<Record> answers,
    List<Record> additionals) {
  public static final int TYPE_PTR = 12;
  public static final int TYPE_TXT = 16;
  public static final int TYPE_ANY = 255;
  public static final int CLASS_IN = 1;
  public static final int FLAG_RESPONSE = 0x8400; // QR + AA
  private static final int MAX_POINTER_JUMPS = 32;

  public DnsMessage {
    questions = List.copyOf(questions);
    answers = List.copyOf(answers);
    additionals = List.copyOf(additionals);
  }

  public boolean isResponse() {
    return (flags & 0x8000) != 0;
  }

  public record Question(String name, int type) {}

  /**
   * A resource record. {@code target} is set for PTR, {@code strings} for TXT; {@code rdata} is
   * the raw data.
   */
  public record Record(String name, int type, long ttl, String target, List<byte[]> strings,
      byte[] rdata) {
    public static Record ptr(String name, long ttl, String target) {
      return new Record(name, TYPE_PTR, ttl, target, List.of(), null);
    }

    public static Record txt(String name, long ttl, List<String> strings) {
      return new Record(name, TYPE_TXT, ttl, null,
          strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList(), null);
    }
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, id);
    u16(out, flags);
    u16(out, questions.size());
    u16(out, answers.size());
    u16(out, 0);
    u16(out, additionals.size());
    for (Question q : questions) {
      name(out, q.name());
      u16(out, q.type());
      u16(out, CLASS_IN);
    }
    for (Record r : answers) {
      record(out, r);
    }
    for (Record r : additionals) {
      record(out, r);
    }
    return out.toByteArray();
  }

  private static void record(ByteArrayOutputStream out, Record r) {
    name(out, r.name());
    u16(out, r.type());
    u16(out, CLASS_IN);
    u16(out, (int) (r.ttl() >>> 16));
    u16(out, (int) r.ttl());
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    if (r.type() == TYPE_PTR) {
      name(data, r.target());
    } else if (r.type() == TYPE_TXT) {
      for (byte[] s : r.strings()) {
        if (s.length > 255) {
          throw new IllegalArgumentException("TXT string of " + s.length + " bytes > 255");
        }
        data.write(s.length);
        data.writeBytes(s);
      }
    } else {
      data.writeBytes(r.rdata());
    }
    u16(out, data.size());
    out.writeBytes(data.toByteArray());
  }

  private static void name(ByteArrayOutputStream out, String name) {
    for (String label : name.split("\\.")) {
      byte[] b = label.getBytes(StandardCharsets.UTF_8);
      if (b.length == 0) {
        continue;
      }
      if (b.length > 63) {
        throw new IllegalArgumentException("DNS label longer than 63 bytes: " + label);
      }
      out.write(b.length);
      out.writeBytes(b);
    }
    out.write(0);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8 & 0xFF);
    out.write(v & 0xFF);
  }

  /**
   * Parses a DNS message.
   *
   * @throws ProtocolViolationException if it is truncated or malformed
   */
  public static DnsMessage decode(byte[] b) {
    Reader r = new Reader(b);
    int id = r.u16();
    int flags = r.u16();
    int qd = r.u16();
    int an = r.u16();
    int ns = r.u16();
    int ar = r.u16();
    List<Question> qs = new ArrayList<>();
    for (int i = 0; i < qd; i++) {
      String name = r.name();
      int type = r.u16();
      r.u16(); // class (and the mDNS unicast-response bit)
      qs.add(new Question(name, type));
    }
    List<Record> answers = new ArrayList<>();
    for (int i = 0; i < an; i++) {
      answers.add(r.record());
    }
    for (int i = 0; i < ns; i++) {
      r.record();
    }
    List<Record> additionals = new ArrayList<>();
    for (int i = 0; i < ar; i++) {
      additionals.add(r.record());
    }
    return new DnsMessage(id, flags, qs, answers, additionals);
  }

  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    int u8() {
      if (pos >= b.length) {
        throw new ProtocolViolationException("truncated DNS message");
      }
      return b[pos++] & 0xFF;
    }

    int u16() {
      return u8() << 8 | u8();
    }

    long u32() {
      return (long) u16() << 16 | u16();
    }

    String name() {
      StringBuilder sb = new StringBuilder();
      int p = pos;
      int jumps = 0;
      boolean jumped = false;
      while (true) {
        if (p >= b.length) {
          throw new ProtocolViolationException("truncated DNS name");
        }
        int len = b[p] & 0xFF;
        if ((len & 0xC0) == 0xC0) {
          if (p + 1 >= b.length || ++jumps > MAX_POINTER_JUMPS) {
            throw new ProtocolViolationException("bad DNS name pointer");
          }
          int target = (len & 0x3F) << 8 | (b[p + 1] & 0xFF);
          if (!jumped) {
            pos = p + 2;
            jumped = true;
          }
          p = target;
          continue;
        }
        if (len > 63) {
          throw new ProtocolViolationException("bad DNS label length " + len);
        }
        p++;
        if (len == 0) {
          break;
        }
        if (p + len > b.length) {
          throw new ProtocolViolationException("truncated DNS label");
        }
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(new String(b, p, len, StandardCharsets.UTF_8));
        p += len;
        if (sb.length() > 1024) {
          throw new ProtocolViolationException("DNS name too long");
        }
      }
      if (!jumped) {
        pos = p;
      }
      return sb.toString();
    }

    Record record() {
      String name = name();
      int type = u16();
      u16(); // class (and the mDNS cache-flush bit)
      long ttl = u32();
      int len = u16();
      if (pos + len > b.length) {
        throw new ProtocolViolationException("truncated DNS record data");
      }
      int end = pos + len;
      byte[] rdata = java.util.Arrays.copyOfRange(b, pos, end);
      String target = null;
      List<byte[]> strings = new ArrayList<>();
      if (type == TYPE_PTR) {
        target = name();
      } else if (type == TYPE_TXT) {
        while (pos < end) {
          int n = u8();
          if (pos + n > end) {
            throw new ProtocolViolationException("TXT string overruns its record");
          }
          strings.add(java.util.Arrays.copyOfRange(b, pos, pos + n));
          pos += n;
        }
      }
      pos = end;
      return new Record(name, type, ttl, target, strings, rdata);
    }
  }
}
