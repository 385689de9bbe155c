package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunLimits;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a connection costs the relay: a connection over {@code --max-connections} is refused at the
 * handshake with 503 (never accepted and closed again, even in a burst of handshakes), and no
 * connection negotiates permessage-deflate (a zlib deflater held for the connection's life).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ConnectionCostIT {

  private static final int MAX_CONNECTIONS = 2;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<WebSocket> open = new ArrayList<>();
  private Relay relay;

  @BeforeEach
  void startRelay() {
    GunLimits d = GunLimits.defaults();
    GunLimits limits = new GunLimits(d.maxFrameBytes(), d.maxDepth(), d.maxMessagesPerFrame(),
        d.messagesPerSecond(), d.maxInFlightPuts(), d.maxOutboundFrames(), d.maxStrikes(),
        MAX_CONNECTIONS, d.maxSubscriptions(), d.dedupWindow(), d.memory());
    relay = Relay.start(RelayConfig.ephemeral().withLimits(limits));
  }

  @AfterEach
  void stopRelay() {
    open.forEach(WebSocket::abort);
    relay.close();
  }

  private WebSocket connect() {
    WebSocket socket = http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(relay.gunUrl(), new WebSocket.Listener() {})
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    open.add(socket);
    return socket;
  }

  @Test
  void connectionOverTheLimit_isRefusedAtTheHandshakeWith503_andAFreedSlotIsUsableAgain()
      throws Exception {
    connect();
    WebSocket second = connect();

    CompletionException refused = assertThrows(CompletionException.class, this::connect);
    WebSocketHandshakeException handshake =
        assertInstanceOfCause(refused, WebSocketHandshakeException.class);
    assertEquals(503, handshake.getResponse().statusCode());
    Upgrade raw = rawUpgrade("");
    assertTrue(raw.status().contains(" 503 "), raw.status());
    assertTrue(raw.body().contains("--max-connections"), "the refusal names the option: " + raw);

    second.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        connect();
        return;
      } catch (CompletionException stillFull) {
        if (System.nanoTime() > deadline) {
          throw stillFull;
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * Handshakes that arrive together: each holds its place from the check to its session, so
   * exactly the limit are upgraded and the rest refused with 503, none upgraded and then closed.
   */
  @Test
  void aBurstOfHandshakes_upgradesExactlyTheLimit_andRefusesTheRestAtTheHandshake()
      throws Exception {
    int burst = 40;
    URI url = relay.gunUrl();
    List<Socket> sockets = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(burst);
    try {
      for (int i = 0; i < burst; i++) {
        Socket socket = new Socket(url.getHost(), url.getPort());
        socket.setSoTimeout(10_000);
        sockets.add(socket);
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> answers = new ArrayList<>();
      for (Socket socket : sockets) {
        answers.add(clients.submit(() -> {
          go.await();
          socket.getOutputStream()
              .write(upgradeRequest(url, "").getBytes(StandardCharsets.US_ASCII));
          return firstAnswer(socket.getInputStream());
        }));
      }
      go.countDown();
      List<String> upgraded = new ArrayList<>();
      for (Future<String> answer : answers) {
        String seen = answer.get(20, TimeUnit.SECONDS);
        if (seen.contains(" 101 ")) {
          upgraded.add(seen);
        } else {
          assertTrue(seen.contains(" 503 "), "refused at the handshake: " + seen);
        }
      }
      assertEquals(MAX_CONNECTIONS, upgraded.size(), "upgraded: " + upgraded);
      for (String seen : upgraded) {
        assertTrue(seen.endsWith("first frame: text"),
            "an upgraded connection is greeted, not closed: " + seen);
      }
    } finally {
      clients.shutdownNow();
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** The status line and, after a 101, the kind of the relay's first frame (its greeting). */
  private static String firstAnswer(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return head + " (closed)";
      }
      head.append((char) b);
    }
    String status = head.substring(0, head.indexOf("\r\n"));
    if (!status.contains(" 101 ")) {
      return status;
    }
    int opcode = in.read() & 0x0f;
    return status + ", first frame: " + (opcode == 1 ? "text" : opcode == 8 ? "close" : opcode);
  }

  @Test
  void permessageDeflateOffered_isNotNegotiated() throws Exception {
    Upgrade upgrade =
        rawUpgrade("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");

    assertTrue(upgrade.status().contains(" 101 "), "expected an upgrade: " + upgrade);
    assertFalse(upgrade.headers().stream().anyMatch(h -> h.startsWith("sec-websocket-extensions")),
        "no extension is negotiated: " + upgrade);
  }

  private record Upgrade(String status, List<String> headers, String body) {}

  private static String upgradeRequest(URI url, String extraHeaders) {
    return "GET /gun HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders + "\r\n";
  }

  /** A WebSocket handshake over a plain socket: what the relay answers, body included. */
  private Upgrade rawUpgrade(String extraHeaders) throws Exception {
    URI url = relay.gunUrl();
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(upgradeRequest(url, extraHeaders).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      List<String> headers = new ArrayList<>();
      int length = 0;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        String header = line.toLowerCase(Locale.ROOT);
        headers.add(header);
        if (header.startsWith("content-length:")) {
          length = Integer.parseInt(header.substring("content-length:".length()).trim());
        }
      }
      char[] body = new char[length];
      int read = 0;
      while (read < length) {
        int n = in.read(body, read, length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return new Upgrade(status, headers, new String(body, 0, read));
    }
  }

  /**
   * Tabs reconnect together after a relay restart. Connections the relay has not accepted yet must
   * wait in the kernel's accept queue: a full queue drops the SYN, and that client retries only a
   * second later (Linux's initial retransmission timeout).
   */
  @Test
  void aBurstOfConnections_isQueuedByTheKernel_noneWaitsForASynRetransmit() throws Exception {
    int burst = 600;
    InetSocketAddress address =
        new InetSocketAddress("127.0.0.1", relay.gunUrl().getPort());
    List<SocketChannel> channels = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      long started = System.nanoTime();
      for (int i = 0; i < burst; i++) {
        SocketChannel channel = SocketChannel.open();
        channels.add(channel);
        channel.configureBlocking(false);
        if (!channel.connect(address)) {
          channel.register(selector, SelectionKey.OP_CONNECT);
        }
      }
      long deadline = started + TimeUnit.SECONDS.toNanos(5);
      while (!selector.keys().isEmpty() && System.nanoTime() < deadline) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          ((SocketChannel) key.channel()).finishConnect();
          key.cancel();
        }
        selector.selectedKeys().clear();
        selector.selectNow(); // forgets the cancelled keys
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertEquals(0, selector.keys().size(), "connections still unconnected after 5 s");
      assertTrue(millis < 900,
          burst + " connections took " + millis + " ms: some SYN was dropped and retried");
    } finally {
      for (SocketChannel channel : channels) {
        channel.close();
      }
    }
  }

  private static <T extends Throwable> T assertInstanceOfCause(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    throw new AssertionError("expected a " + type.getSimpleName() + " in " + failure, failure);
  }
}
