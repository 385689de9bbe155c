package io.soulgraph.libp2p.protocol;

import io.soulgraph.libp2p.Libp2pException.ProtocolViolationException;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.internal.util.Protobuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The identify message: what a peer says about itself. Fields (protobuf numbers):
 * protocolVersion 5, agentVersion 6, publicKey 1, listenAddrs 2 (binary multiaddrs),
 * observedAddr 4, protocols 3. Listen addresses we cannot parse (e.g. circuit relays) are
 * skipped, not fatal.
 *
 * @param observedAddress how the sender sees us, or null if it did not say
 */
public record IdentifyInfo(String protocolVersion, String agentVersion, byte[] publicKey,
    List<Multiaddr> listenAddresses, Multiaddr observedAddress, List<String> protocols) {

  /** The sender's peer id, derived from its public key. */
  public Optional<PeerId> peerId() {
    return publicKey.length == 0 ? Optional.empty()
        : Optional.of(PeerId.fromPublicKeyProtobuf(publicKey));
  }

  public byte[] encode() {
    Protobuf.Writer w = new Protobuf.Writer()
        .string(5, protocolVersion)
        .string(6, agentVersion)
        .bytes(1, publicKey);
    listenAddresses.forEach(a -> w.bytes(2, a.toBytes()));
    if (observedAddress != null) {
      w.bytes(4, observedAddress.toBytes());
    }
    protocols.forEach(p -> w.string(3, p));
    return w.toByteArray();
  }

  /** @throws ProtocolViolationException on a malformed message */
  public static IdentifyInfo decode(byte[] bytes) {
    String[] text = {"", ""};
    byte[][] key = {new byte[0]};
    List<Multiaddr> listen = new ArrayList<>();
    Multiaddr[] observed = {null};
    List<String> protocols = new ArrayList<>();
    Protobuf.parse(bytes, (field, value) -> {
      if (!(value instanceof byte[] b)) {
        return;
      }
      switch (field) {
        case 5 -> text[0] = utf8(b);
        case 6 -> text[1] = utf8(b);
        case 1 -> key[0] = b;
        case 2 -> parse(b).ifPresent(listen::add);
        case 4 -> observed[0] = parse(b).orElse(null);
        case 3 -> protocols.add(utf8(b));
        default -> { } // signedPeerRecord and future fields
      }
    });
    return new IdentifyInfo(text[0], text[1], key[0], List.copyOf(listen), observed[0],
        List.copyOf(protocols));
  }

  private static Optional<Multiaddr> parse(byte[] b) {
    try {
      return Optional.of(Multiaddr.fromBytes(b));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
