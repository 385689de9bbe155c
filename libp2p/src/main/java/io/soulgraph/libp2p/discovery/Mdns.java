package io.soulgraph.libp2p.discovery;

import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostService;
import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.Libp2pException.BadPeerException;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.MultiaddrProtocol;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.internal.mdns.DnsMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p mDNS discovery (the {@code discovery/mdns.md} spec, as {@code @libp2p/mdns} speaks
 * it): we query {@code _p2p._udp.local} PTR on 224.0.0.251:5353 every interval, answer others'
 * queries with a PTR to our random peer name and one {@code dnsaddr=<multiaddr>/p2p/<id>} TXT
 * record per listen address, and dial the peers we find.
 *
 * <p>Off unless added to a host: it sends multicast on the chosen interface. Addresses are read
 * from both the answers and the additional records, since js puts its TXT records in the
 * answers.
 */
public final class Mdns implements HostService {
  public static final String SERVICE_TAG = "_p2p._udp.local";
  private static final Logger LOG = LoggerFactory.getLogger(Mdns.class);
  private static final InetAddress GROUP = ipv4(224, 0, 0, 251);
  private static final int PORT = 5353;
  private static final long TTL_SECONDS = 120;

  private final NetworkInterface networkInterface;
  private final Duration interval;
  private final Consumer<PeerId> onDiscovered;
  private final String peerName = randomName();
  private final Set<PeerId> dialing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "libp2p-mdns-query");
    t.setDaemon(true);
    return t;
  });
  private DatagramChannel socket;
  private Thread receiver;
  private Host host;
  private volatile boolean stopped;

  /**
   * @param networkInterface where to send and listen (null: the system's default multicast
   *     interface)
   * @param interval between our queries (js uses 10 s)
   * @param onDiscovered told of each peer found (before we dial it), on the receiver thread
   */
  public Mdns(NetworkInterface networkInterface, Duration interval,
      Consumer<PeerId> onDiscovered) {
    this.networkInterface = networkInterface;
    this.interval = interval;
    this.onDiscovered = onDiscovered;
  }

  @Override
  public void start(Host host, Identity identity) {
    this.host = host;
    try {
      // An IPv4 channel: IPv4 multicast on Java's default dual-stack socket is unreliable.
      socket = DatagramChannel.open(StandardProtocolFamily.INET);
      socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      socket.bind(new InetSocketAddress(PORT));
      socket.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
      socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      if (networkInterface != null) {
        socket.setOption(StandardSocketOptions.IP_MULTICAST_IF, networkInterface);
      }
      for (NetworkInterface ni : multicastInterfaces()) {
        socket.join(GROUP, ni);
      }
    } catch (IOException e) {
      closeSocket();
      throw new UncheckedIOException("cannot join mDNS group 224.0.0.251:5353", e);
    }
    receiver = new Thread(this::receive, "libp2p-mdns");
    receiver.setDaemon(true);
    receiver.start();
    send(response()); // announce ourselves at once, as js does not ask again for 10 s
    timer.scheduleAtFixedRate(this::query, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    stopped = true;
    timer.shutdownNow();
    closeSocket();
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing the mDNS socket: {}", e.toString());
      }
    }
  }

  /** The chosen interface, or every up, multicast-capable one with an IPv4 address. */
  private List<NetworkInterface> multicastInterfaces() throws IOException {
    if (networkInterface != null) {
      return List.of(networkInterface);
    }
    List<NetworkInterface> out = new ArrayList<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (ni.isUp() && ni.supportsMulticast() && Collections.list(ni.getInetAddresses()).stream()
          .anyMatch(a -> a.getAddress().length == 4)) {
        out.add(ni);
      }
    }
    return out;
  }

  private void query() {
    send(new DnsMessage(0, 0, List.of(new DnsMessage.Question(SERVICE_TAG, DnsMessage.TYPE_PTR)),
        List.of(), List.of()));
  }

  private DnsMessage response() {
    String instance = peerName + "." + SERVICE_TAG;
    List<DnsMessage.Record> txt = new ArrayList<>();
    for (Multiaddr ma : advertised()) {
      String text = "dnsaddr=" + ma;
      if (text.getBytes(StandardCharsets.UTF_8).length <= 255) {
        txt.add(DnsMessage.Record.txt(instance, TTL_SECONDS, List.of(text)));
      }
    }
    return new DnsMessage(0, DnsMessage.FLAG_RESPONSE,
        List.of(), List.of(DnsMessage.Record.ptr(SERVICE_TAG, TTL_SECONDS, instance)), txt);
  }

  /** Our listen addresses, with an unspecified 0.0.0.0 expanded to the interface's IPv4s. */
  private List<Multiaddr> advertised() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr ma : host.listenAddresses()) {
      if (!"0.0.0.0".equals(ma.valueOf(MultiaddrProtocol.IP4).orElse(null))) {
        out.add(ma);
        continue;
      }
      String port = ma.valueOf(MultiaddrProtocol.TCP).orElseThrow();
      for (NetworkInterface ni : interfaces()) {
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a.getAddress().length == 4) {
            out.add(Multiaddr.fromString("/ip4/" + a.getHostAddress() + "/tcp/" + port)
                .withPeerId(host.peerId()));
          }
        }
      }
    }
    return out;
  }

  private List<NetworkInterface> interfaces() {
    if (networkInterface != null) {
      return List.of(networkInterface);
    }
    try {
      return Collections.list(NetworkInterface.getNetworkInterfaces());
    } catch (IOException e) {
      return List.of();
    }
  }

  private void send(DnsMessage m) {
    byte[] b = m.encode();
    try {
      socket.send(ByteBuffer.wrap(b), new InetSocketAddress(GROUP, PORT));
    } catch (IOException e) {
      if (!stopped) {
        LOG.warn("cannot send mDNS packet: {}", e.toString());
      }
    }
  }

  private void receive() {
    ByteBuffer buf = ByteBuffer.allocate(9000);
    while (!stopped) {
      SocketAddress from;
      buf.clear();
      try {
        from = socket.receive(buf);
      } catch (IOException e) {
        if (!stopped) {
          LOG.warn("mDNS receiver stopped: {}", e.toString());
        }
        return;
      }
      buf.flip();
      byte[] packet = new byte[buf.remaining()];
      buf.get(packet);
      try {
        handle(DnsMessage.decode(packet));
      } catch (BadPeerException e) {
        LOG.debug("ignoring malformed mDNS packet from {}: {}", from, e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("mDNS packet from {} failed", from, e);
      }
    }
  }

  private void handle(DnsMessage m) {
    if (!m.isResponse()) {
      for (DnsMessage.Question q : m.questions()) {
        if (q.name().equalsIgnoreCase(SERVICE_TAG)
            && (q.type() == DnsMessage.TYPE_PTR || q.type() == DnsMessage.TYPE_ANY)) {
          send(response());
          return;
        }
      }
      return;
    }
    boolean ours = false;
    String instance = null;
    for (DnsMessage.Record r : m.answers()) {
      if (r.type() == DnsMessage.TYPE_PTR && SERVICE_TAG.equalsIgnoreCase(r.name())) {
        instance = r.target();
        ours = r.target().startsWith(peerName);
      }
    }
    if (instance == null || ours) {
      return;
    }
    List<Multiaddr> addrs = new ArrayList<>();
    List<DnsMessage.Record> all = new ArrayList<>(m.answers());
    all.addAll(m.additionals());
    for (DnsMessage.Record r : all) {
      if (r.type() != DnsMessage.TYPE_TXT) {
        continue;
      }
      for (byte[] s : r.strings()) {
        String text = new String(s, StandardCharsets.UTF_8);
        if (text.startsWith("dnsaddr=")) {
          try {
            addrs.add(Multiaddr.fromString(text.substring("dnsaddr=".length())));
          } catch (IllegalArgumentException e) {
            LOG.debug("ignoring mDNS address {}: {}", text, e.getMessage());
          }
        }
      }
    }
    found(addrs);
  }

  private void found(List<Multiaddr> addrs) {
    Multiaddr target = null;
    for (Multiaddr ma : addrs) {
      if (ma.peerId().isPresent() && ma.valueOf(MultiaddrProtocol.TCP).isPresent()
          && ma.valueOf(MultiaddrProtocol.IP4).isPresent()) {
        target = ma;
        break;
      }
    }
    if (target == null || target.peerId().get().equals(host.peerId())) {
      return;
    }
    PeerId peer = target.peerId().get();
    for (Connection c : host.connections()) {
      if (c.remotePeer().equals(peer) && c.isOpen()) {
        return;
      }
    }
    if (!dialing.add(peer)) {
      return;
    }
    onDiscovered.accept(peer);
    LOG.info("mDNS found {} at {}", peer, target);
    Multiaddr dialAt = target;
    host.dial(dialAt).whenComplete((c, e) -> {
      dialing.remove(peer);
      if (e != null) {
        LOG.info("cannot dial mDNS peer {}: {}", dialAt, e.getMessage());
      }
    });
  }

  private static String randomName() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom r = new SecureRandom();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static InetAddress ipv4(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
