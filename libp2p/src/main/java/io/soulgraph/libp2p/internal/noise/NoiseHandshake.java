package io.soulgraph.libp2p.internal.noise;

import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.internal.crypto.Ed25519;
import io.soulgraph.libp2p.internal.crypto.X25519;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The Noise XX handshake with libp2p's payload, as a pure state machine (no I/O):
 * <pre>
 *   -> e                      initiator: writeMessage1
 *   <- e, ee, s, es           responder: readMessage1, writeMessage2
 *   -> s, se                  initiator: readMessage2, writeMessage3; responder: readMessage3
 * </pre>
 * Each side's payload carries its Ed25519 identity key and a signature over
 * {@code "noise-libp2p-static-key:" + its X25519 static key}; both are checked here. After the
 * third message {@link #result()} gives the transport ciphers and the remote's identity.
 */
public final class NoiseHandshake {
  private static final byte[] SIG_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  private static final int DH_LEN = 32;

  /** What the handshake established. */
  public record Result(PeerId remotePeer, List<String> remoteMuxers, NoiseCipherState sender,
      NoiseCipherState receiver) {}

  /**
   * Our static Noise key and the signed payload that vouches for it. js-libp2p keeps one per
   * node too; reusing it spares a key generation and an Ed25519 signature per handshake.
   */
  public record LocalStatic(X25519 key, byte[] payload) {
    /** @param muxers stream muxers to offer for early negotiation; empty to offer none */
    public static LocalStatic create(Identity identity, List<String> muxers) {
      X25519 s = X25519.generate();
      byte[] sig = identity.sign(concat(SIG_PREFIX, s.publicKey(), new byte[0]));
      return new LocalStatic(s, new NoisePayload(identity.publicKeyProtobuf(), sig,
          List.copyOf(muxers)).encode());
    }
  }

  private final boolean initiator;
  private final NoiseSymmetricState state = new NoiseSymmetricState();
  private final X25519 s;
  private final byte[] payload;
  private final X25519 e = X25519.generate();
  private byte[] re;
  private byte[] rs;
  private NoisePayload remotePayload;
  private Result result;

  public NoiseHandshake(boolean initiator, LocalStatic local) {
    this.initiator = initiator;
    this.s = local.key();
    this.payload = local.payload();
  }

  /** A handshake with a fresh static key (tests, one-off peers). */
  public NoiseHandshake(boolean initiator, Identity identity, List<String> muxers) {
    this(initiator, LocalStatic.create(identity, muxers));
  }

  public byte[] writeMessage1() {
    requireRole(true);
    byte[] ePub = e.publicKey();
    state.mixHash(ePub);
    state.mixHash(new byte[0]); // EncryptAndHash of the empty payload, without a key
    return ePub;
  }

  public void readMessage1(byte[] msg) {
    requireRole(false);
    if (msg.length < DH_LEN) {
      throw new BadPeerException("Noise message 1 is " + msg.length + " bytes, expected 32+");
    }
    re = Arrays.copyOf(msg, DH_LEN);
    state.mixHash(re);
    state.decryptAndHash(Arrays.copyOfRange(msg, DH_LEN, msg.length));
  }

  public byte[] writeMessage2() {
    requireRole(false);
    byte[] ePub = e.publicKey();
    state.mixHash(ePub);
    state.mixKey(e.agree(re));
    byte[] encS = state.encryptAndHash(s.publicKey());
    state.mixKey(s.agree(re));
    return concat(ePub, encS, state.encryptAndHash(payload));
  }

  public void readMessage2(byte[] msg) {
    requireRole(true);
    if (msg.length < DH_LEN + DH_LEN + 16 + 16) {
      throw new BadPeerException("Noise message 2 is too short: " + msg.length + " bytes");
    }
    re = Arrays.copyOf(msg, DH_LEN);
    state.mixHash(re);
    state.mixKey(e.agree(re));
    rs = state.decryptAndHash(Arrays.copyOfRange(msg, DH_LEN, DH_LEN + 48));
    state.mixKey(e.agree(rs));
    remotePayload = verify(state.decryptAndHash(Arrays.copyOfRange(msg, DH_LEN + 48, msg.length)));
  }

  public byte[] writeMessage3() {
    requireRole(true);
    byte[] encS = state.encryptAndHash(s.publicKey());
    state.mixKey(s.agree(re));
    byte[] msg = concat(encS, state.encryptAndHash(payload), new byte[0]);
    finish();
    return msg;
  }

  public void readMessage3(byte[] msg) {
    requireRole(false);
    if (msg.length < 48 + 16) {
      throw new BadPeerException("Noise message 3 is too short: " + msg.length + " bytes");
    }
    rs = state.decryptAndHash(Arrays.copyOf(msg, 48));
    state.mixKey(e.agree(rs));
    remotePayload = verify(state.decryptAndHash(Arrays.copyOfRange(msg, 48, msg.length)));
    finish();
  }

  /** @throws IllegalStateException before the handshake has finished */
  public Result result() {
    if (result == null) {
      throw new IllegalStateException("Noise handshake has not finished");
    }
    return result;
  }

  private void finish() {
    NoiseCipherState[] ciphers = state.split();
    PeerId remote = PeerId.fromPublicKeyProtobuf(remotePayload.identityKey());
    result = initiator
        ? new Result(remote, remotePayload.muxers(), ciphers[0], ciphers[1])
        : new Result(remote, remotePayload.muxers(), ciphers[1], ciphers[0]);
  }

  private NoisePayload verify(byte[] bytes) {
    NoisePayload p = NoisePayload.decode(bytes);
    PeerId claimed = PeerId.fromPublicKeyProtobuf(p.identityKey());
    byte[] key = claimed.ed25519PublicKey().orElseThrow(() -> new BadPeerException(
        "remote identity key is not Ed25519 (the only key type this host supports)"));
    if (!Ed25519.verify(key, concat(SIG_PREFIX, rs, new byte[0]), p.identitySignature())) {
      throw new BadPeerException("remote " + claimed + " signed a different Noise static key");
    }
    return p;
  }

  private void requireRole(boolean asInitiator) {
    if (asInitiator != initiator) {
      throw new IllegalStateException("this step belongs to the "
          + (asInitiator ? "initiator" : "responder"));
    }
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    byte[] out = Arrays.copyOf(a, a.length + b.length + c.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }
}
