package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket, for tests that need a peer which never reads what the
 * relay sends (a real client library always drains its socket).
 */
final class RawWebSocket {
  private RawWebSocket() {}

  /**
   * Connects to {@code url} with the given receive buffer (set before connecting, so it bounds the
   * TCP window), completes the upgrade and returns the socket, which nothing reads afterwards.
   */
  static Socket upgraded(URI url, int receiveBuffer) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
    socket.setSoTimeout(30_000);
    String key = Base64.getEncoder().encodeToString("raw-websocket-16".getBytes(
        StandardCharsets.US_ASCII));
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    return socket;
  }

  /** One masked text frame (clients must mask), payload under 126 bytes. */
  static void sendText(Socket socket, String text) throws Exception {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 125) {
      throw new IllegalArgumentException(
          "payload of " + payload.length + " bytes needs the longer length form");
    }
    byte[] mask = {1, 2, 3, 4};
    OutputStream out = socket.getOutputStream();
    out.write(0x81);
    out.write(0x80 | payload.length);
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }
}
