package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.JsJson;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunFrames;
import io.soulgraph.relay.gun.GunLimits;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection that subscribes and then never reads is cut off once its outbound bytes pass the
 * limit, instead of growing the relay's heap; the writer and other readers go on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class SlowReaderIT {

  private static final long MAX_OUTBOUND = 2L << 20;

  @Test
  void subscriberThatNeverReads_isDisconnected_othersServed() throws Exception {
    GunLimits defaults = GunLimits.defaults();
    GunLimits.Memory m = defaults.memory();
    GunLimits limits = defaults.withMemory(new GunLimits.Memory(m.maxPutBytes(), m.maxPutFields(),
        m.maxInFlightBytes(), MAX_OUTBOUND, m.maxIdLength(), m.maxSubscriptionBytes(),
        m.messageLogBytes()));
    try (Relay relay = Relay.start(RelayConfig.ephemeral().withLimits(limits));
        Socket stalled = new Socket("127.0.0.1", relay.port());
        WireClient writer = new WireClient(relay.gunUrl())) {
      stalled.setReceiveBufferSize(4096);
      handshake(stalled);
      sendText(stalled.getOutputStream(), "{\"#\":\"sub\",\"get\":{\"#\":\"slow/topic\"}}");
      Thread.sleep(500);
      String big = JsJson.quote("x".repeat(200_000));
      long s = System.currentTimeMillis() - 100_000;
      for (int i = 0; i < 150 && relay.metrics().openConnections() > 1; i++) {
        writer.send(GunFrames.put("w" + i, "slow/topic", s + i, "v", big));
        assertEquals(1, writer.replyTo("w" + i).path("ok").asInt());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (relay.metrics().openConnections() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(1, relay.metrics().openConnections(), "the stalled reader was cut off");
      writer.send(GunFrames.put("after", "slow/after", s, "v", "\"fine\""));
      assertEquals(1, writer.replyTo("after").path("ok").asInt());
      assertTrue(GunWireIT.readField(writer, "slow/after", "v").asText().equals("fine"));
    }
  }

  private static void handshake(Socket socket) throws Exception {
    String key = Base64.getEncoder().encodeToString("slow-reader-key!".getBytes(
        StandardCharsets.US_ASCII));
    OutputStream out = socket.getOutputStream();
    out.write(("GET /gun HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
  }

  /** One masked text frame (clients must mask), payload under 126 bytes. */
  private static void sendText(OutputStream out, String text) throws Exception {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    out.write(0x81);
    out.write(0x80 | payload.length);
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }
}
