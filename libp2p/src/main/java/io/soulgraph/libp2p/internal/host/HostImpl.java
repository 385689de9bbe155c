package io.soulgraph.libp2p.internal.host;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.soulgraph.libp2p.Connection;
import io.soulgraph.libp2p.Host;
import io.soulgraph.libp2p.HostService;
import io.soulgraph.libp2p.Identity;
import io.soulgraph.libp2p.Libp2pException.ConnectionClosedException;
import io.soulgraph.libp2p.Multiaddr;
import io.soulgraph.libp2p.PeerId;
import io.soulgraph.libp2p.ProtocolBinding;
import io.soulgraph.libp2p.Stream;
import io.soulgraph.libp2p.internal.noise.NoiseHandshake;
import io.soulgraph.libp2p.internal.yamux.StreamAcceptor;
import io.soulgraph.libp2p.internal.yamux.YamuxSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Host}: Netty TCP listeners and dialers, connections and protocol bindings. */
public final class HostImpl implements Host, StreamAcceptor {
  /** Everything a host is configured with; see {@code HostBuilder} for the meanings. */
  public record Config(Identity identity, List<Multiaddr> listen, String agentVersion,
      Duration handshakeTimeout, int maxStreamsPerConnection, int maxConnections,
      boolean earlyMuxerNegotiation, int ioThreads, List<HostService> services) {}

  private static final Logger LOG = LoggerFactory.getLogger(HostImpl.class);

  private final Config config;
  private final EventLoopGroup group;
  private final Map<String, ProtocolBinding<?>> bindings = new LinkedHashMap<>();
  private final Set<ConnectionImpl> connections = ConcurrentHashMap.newKeySet();
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final List<Channel> servers = new ArrayList<>();
  private final List<Multiaddr> listening = new ArrayList<>();
  private final List<Consumer<Connection>> connectionListeners = new CopyOnWriteArrayList<>();

  private final NoiseHandshake.LocalStatic noiseStatic;

  public HostImpl(Config config) {
    this.config = config;
    this.group = new NioEventLoopGroup(config.ioThreads());
    this.noiseStatic = NoiseHandshake.LocalStatic.create(config.identity(),
        config.earlyMuxerNegotiation() ? List.of(YamuxSession.PROTOCOL_ID) : List.of());
  }

  NoiseHandshake.LocalStatic noiseStatic() {
    return noiseStatic;
  }

  Config config() {
    return config;
  }

  Identity identity() {
    return config.identity();
  }

  /** Binds every listen address; call once, before use. */
  public void start() {
    try {
      for (Multiaddr ma : config.listen()) {
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(initializer(false, null, null))
            .bind(ma.toSocketAddress()).syncUninterruptibly().channel();
        servers.add(ch);
        listening.add(Multiaddr.fromSocketAddress((InetSocketAddress) ch.localAddress()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** @param dialResult the dial's future, or null for inbound channels (each gets its own) */
  private ChannelInitializer<SocketChannel> initializer(boolean initiator, PeerId expected,
      CompletableFuture<Connection> dialResult) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        if (!initiator && channels.size() >= config.maxConnections()) {
          LOG.warn("refusing connection from {}: {} connections open", ch.remoteAddress(),
              channels.size());
          ch.close();
          return;
        }
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
        ConnectionGuard guard = new ConnectionGuard();
        CompletableFuture<Connection> result =
            dialResult != null ? dialResult : new CompletableFuture<>();
        ch.pipeline().addLast("upgrade",
            new ConnectionUpgrader(HostImpl.this, initiator, expected, result, guard));
        ch.pipeline().addLast(ConnectionGuard.NAME, guard);
      }
    };
  }

  void register(ConnectionImpl c) {
    connections.add(c);
    c.closeFuture().thenRun(() -> connections.remove(c));
    for (Consumer<Connection> l : connectionListeners) {
      try {
        l.accept(c);
      } catch (RuntimeException e) {
        LOG.warn("connection listener failed on {}", c, e);
      }
    }
  }

  @Override
  public void addConnectionListener(Consumer<Connection> listener) {
    connectionListeners.add(listener);
  }

  @Override
  public PeerId peerId() {
    return config.identity().peerId();
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return listening.stream().map(a -> a.withPeerId(peerId())).toList();
  }

  @Override
  public synchronized void addProtocolHandler(ProtocolBinding<?> binding) {
    bindings.put(binding.protocolId(), binding);
  }

  @Override
  public synchronized void removeProtocolHandler(String protocolId) {
    bindings.remove(protocolId);
  }

  @Override
  public synchronized List<String> protocols() {
    return List.copyOf(bindings.keySet());
  }

  @Override
  public void accept(Stream stream) {
    ProtocolBinding<?> b;
    synchronized (this) {
      b = bindings.get(stream.protocolId());
    }
    if (b == null) {
      stream.reset(); // unbound between negotiation and now
      return;
    }
    try {
      b.handler().onStartResponder(stream);
    } catch (RuntimeException e) {
      LOG.warn("handler for {} failed on {}", stream.protocolId(), stream, e);
      stream.reset();
    }
  }

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    PeerId expected = address.peerId().orElseThrow(() -> new IllegalArgumentException(
        "expected a multiaddr ending in /p2p/<peer id> but received " + address));
    for (ConnectionImpl c : connections) {
      if (c.remotePeer().equals(expected) && c.isOpen()) {
        return CompletableFuture.completedFuture(c);
      }
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    ChannelFuture cf = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) config.handshakeTimeout().toMillis())
        .handler(initializer(true, expected, result))
        .connect(address.toSocketAddress());
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new ConnectionClosedException("cannot connect to "
            + address + ": " + f.cause()));
      }
    });
    return result;
  }

  @Override
  public <C> CompletableFuture<C> newStream(Multiaddr address, ProtocolBinding<C> binding) {
    return dial(address).thenCompose(c -> c.newStream(binding));
  }

  @Override
  public <C> CompletableFuture<C> newStream(PeerId peer, ProtocolBinding<C> binding) {
    for (ConnectionImpl c : connections) {
      if (c.remotePeer().equals(peer) && c.isOpen()) {
        return c.newStream(binding);
      }
    }
    return CompletableFuture.failedFuture(
        new ConnectionClosedException("no open connection to " + peer));
  }

  @Override
  public CompletableFuture<Stream> newStream(Multiaddr address, String protocolId) {
    return dial(address).thenCompose(c -> c.newStream(List.of(protocolId)));
  }

  @Override
  public List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** Open TCP channels, including ones still upgrading (for leak checks in tests). */
  public int openChannels() {
    return channels.size();
  }

  @Override
  public void close() {
    List<HostService> services = new ArrayList<>(config.services());
    java.util.Collections.reverse(services);
    for (HostService s : services) {
      try {
        s.stop();
      } catch (RuntimeException e) {
        LOG.warn("service {} failed to stop", s, e);
      }
    }
    for (ConnectionImpl c : connections) {
      c.close();
    }
    servers.forEach(Channel::close);
    channels.forEach(Channel::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
