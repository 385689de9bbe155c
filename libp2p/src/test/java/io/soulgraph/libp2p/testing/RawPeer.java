package io.soulgraph.libp2p.testing;

import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.internal.multistream.MultistreamCodec;
import io.soulgraph.libp2p.internal.noise.NoiseCipherState;
import io.soulgraph.libp2p.internal.noise.NoiseHandshake;
import io.soulgraph.libp2p.internal.noise.NoiseTransportCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A hand-driven peer on a blocking socket, for feeding a live host bytes no well-behaved peer
 * would send: it can stop after any stage (raw, after multistream, after Noise) and then write
 * whatever it is given.
 */
public final class RawPeer implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private NoiseCipherState sender;
  private NoiseCipherState receiver;
  private boolean trickle;

  public RawPeer(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 2_000);
    socket.setSoTimeout(2_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** From now on, write every byte as its own TCP segment (Nagle is off). */
  public void trickle() throws IOException {
    socket.setTcpNoDelay(true);
    trickle = true;
  }

  /** Writes raw bytes. */
  public void write(byte[] bytes) throws IOException {
    if (!trickle) {
      out.write(bytes);
      out.flush();
      return;
    }
    for (byte b : bytes) {
      out.write(b);
      out.flush();
    }
  }

  /** Selects {@code /noise} with multistream-select and reads both echoes. */
  public void selectNoise() throws IOException {
    write(MultistreamCodec.encode(MultistreamCodec.PROTOCOL_ID, "/noise"));
    readMultistream();
    readMultistream();
  }

  /** Runs the Noise XX handshake as initiator, offering yamux early (so yamux starts next). */
  public void handshake() throws IOException {
    handshake(UnaryOperator.identity());
  }

  /** The handshake, with message 3 passed through {@code tamper} before it is sent. */
  public void handshake(UnaryOperator<byte[]> tamper) throws IOException {
    NoiseHandshake hs = new NoiseHandshake(true, Identity.generate(), List.of("/yamux/1.0.0"));
    writeFrame(hs.writeMessage1());
    int len = in.readUnsignedShort();
    byte[] msg2 = new byte[len];
    in.readFully(msg2);
    hs.readMessage2(msg2);
    writeFrame(tamper.apply(hs.writeMessage3()));
    sender = hs.result().sender();
    receiver = hs.result().receiver();
  }

  /** Encrypts and writes bytes as Noise transport messages (after {@link #handshake()}). */
  public void writeEncrypted(byte[] plain) throws IOException {
    for (int i = 0; i < plain.length; i += NoiseTransportCodec.MAX_PLAINTEXT) {
      int n = Math.min(NoiseTransportCodec.MAX_PLAINTEXT, plain.length - i);
      writeFrame(sender.encrypt(new byte[0], plain, i, n));
    }
  }

  /** Reads and decrypts one Noise transport message (after {@link #handshake()}). */
  public byte[] readDecrypted() throws IOException {
    byte[] ct = new byte[in.readUnsignedShort()];
    in.readFully(ct);
    return receiver.decrypt(new byte[0], ct, 0, ct.length);
  }

  /** Writes a u16-length-prefixed frame. */
  public void writeFrame(byte[] body) throws IOException {
    byte[] f = new byte[2 + body.length];
    f[0] = (byte) (body.length >> 8);
    f[1] = (byte) body.length;
    System.arraycopy(body, 0, f, 2, body.length);
    write(f);
  }

  /** True if the host closed the connection within {@code millis}. */
  public boolean closedByRemote(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      byte[] sink = new byte[4096];
      long end = System.currentTimeMillis() + millis;
      while (System.currentTimeMillis() < end) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the host
    }
  }

  private void readMultistream() throws IOException {
    int len = in.readUnsignedByte(); // our two messages are both shorter than 128 bytes
    in.readFully(new byte[len]);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
