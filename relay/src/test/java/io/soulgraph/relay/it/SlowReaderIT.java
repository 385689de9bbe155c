package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.JsJson;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunFrames;
import io.soulgraph.relay.gun.GunLimits;
import java.net.Socket;
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
        Socket stalled = RawWebSocket.upgraded(relay.gunUrl(), 4096);
        WireClient writer = new WireClient(relay.gunUrl())) {
      RawWebSocket.sendText(stalled, "{\"#\":\"sub\",\"get\":{\"#\":\"slow/topic\"}}");
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
}
