package io.soulgraph.libp2p;

import io.soulgraph.libp2p.internal.crypto.Ed25519;
import io.soulgraph.libp2p.internal.util.Protobuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * A host's Ed25519 identity key pair. Its {@link #peerId()} is what other peers know it by, so a
 * host that must keep its id across restarts loads it with {@link #loadOrCreate(Path)}.
 *
 * <p>The file holds the standard libp2p {@code PrivateKey} protobuf (type Ed25519, data = the
 * 32-byte seed followed by the 32-byte public key), the format go- and js-libp2p use too.
 */
public final class Identity {
  static final int KEY_TYPE_ED25519 = 1;

  private final byte[] seed;
  private final byte[] publicKey;
  private final PeerId peerId;

  private Identity(Ed25519.RawKeyPair pair) {
    this.seed = pair.seed();
    this.publicKey = pair.publicKey();
    this.peerId = PeerId.fromPublicKeyProtobuf(publicKeyProtobuf());
  }

  /** A fresh random identity. */
  public static Identity generate() {
    return new Identity(Ed25519.generate());
  }

  /** The identity whose Ed25519 private key is this 32-byte seed. */
  public static Identity fromSeed(byte[] seed) {
    return new Identity(Ed25519.fromSeed(seed));
  }

  /**
   * Loads the identity stored at {@code file}, or creates one there (owner-only permissions
   * where the file system supports them) if the file does not exist.
   *
   * @throws IllegalArgumentException if the file is not an Ed25519 libp2p private key
   * @throws UncheckedIOException if it cannot be read or written
   */
  public static Identity loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return fromPrivateKeyProtobuf(Files.readAllBytes(file));
      }
      Identity created = generate();
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".identity", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system (Windows): the directory's ACLs apply instead.
      }
      Files.write(tmp, created.privateKeyProtobuf());
      // Atomic rename: a crash never leaves a half-written key that would change our id.
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load or create identity key " + file, e);
    }
  }

  /** Parses a libp2p {@code PrivateKey} protobuf holding an Ed25519 key. */
  public static Identity fromPrivateKeyProtobuf(byte[] protobuf) {
    Object[] fields = new Object[2];
    Protobuf.parse(protobuf, (f, v) -> {
      if (f == 1 || f == 2) {
        fields[f - 1] = v;
      }
    });
    if (!Long.valueOf(KEY_TYPE_ED25519).equals(fields[0]) || !(fields[1] instanceof byte[] data)
        || (data.length != 64 && data.length != 32)) {
      throw new IllegalArgumentException("expected an Ed25519 libp2p private key but received "
          + protobuf.length + " bytes of something else");
    }
    Identity id = fromSeed(Arrays.copyOf(data, 32));
    if (data.length == 64 && !Arrays.equals(id.publicKey, Arrays.copyOfRange(data, 32, 64))) {
      throw new IllegalArgumentException("private key file's public half does not match its seed");
    }
    return id;
  }

  /** The peer id derived from the public key. */
  public PeerId peerId() {
    return peerId;
  }

  /** The raw 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The libp2p {@code PublicKey} protobuf: {@code 08 01 12 20} + the raw key. */
  public byte[] publicKeyProtobuf() {
    return new Protobuf.Writer().varint(1, KEY_TYPE_ED25519).bytes(2, publicKey).toByteArray();
  }

  /** The libp2p {@code PrivateKey} protobuf, as stored by {@link #loadOrCreate}. */
  public byte[] privateKeyProtobuf() {
    byte[] data = Arrays.copyOf(seed, 64);
    System.arraycopy(publicKey, 0, data, 32, 32);
    return new Protobuf.Writer().varint(1, KEY_TYPE_ED25519).bytes(2, data).toByteArray();
  }

  /** Signs {@code message} with this identity's private key. */
  public byte[] sign(byte[] message) {
    return Ed25519.sign(seed, publicKey, message);
  }

  @Override
  public String toString() {
    return "Identity[" + peerId + "]"; // never the private key
  }
}
