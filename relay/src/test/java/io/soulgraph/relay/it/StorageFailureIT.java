package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.gun.GunFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A relay whose storage can no longer commit is unhealthy: puts get {@code err}, and {@code
 * /health} answers 503 naming the storage check and why, never {@code "ok"} while puts fail.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class StorageFailureIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void backendGone_putsFail_andHealthIs503WithTheReason() throws Exception {
    try (Relay relay = Relay.start(RelayConfig.ephemeral());
        WireClient client = new WireClient(relay.gunUrl())) {
      long s = System.currentTimeMillis() - 1000;
      client.send(GunFrames.put("before", "health/before", s, "v", "\"kept\""));
      assertEquals(1, client.replyTo("before").path("ok").asInt());
      HttpResponse<String> ok = health(relay);
      assertEquals(200, ok.statusCode());
      assertEquals("ok", JSON.readTree(ok.body()).path("checks").path("storage").path("status")
          .asText());

      relay.store().readOnlyInternals().getGraph().close(); // the backend goes away under it

      client.send(GunFrames.put("after", "health/after", s, "v", "\"lost\""));
      JsonNode err = client.replyTo("after");
      assertTrue(err.path("err").asText().startsWith("Storage failed"), err.toString());
      HttpResponse<String> failing = health(relay);
      JsonNode body = JSON.readTree(failing.body());
      assertEquals(503, failing.statusCode(), failing.body());
      assertEquals("failing", body.path("status").asText());
      assertEquals("failing", body.path("checks").path("storage").path("status").asText());
      assertTrue(body.path("checks").path("storage").path("reason").asText().contains("commit"),
          failing.body());
      Thread.sleep(1500); // the idle store probes the backend again: it is still gone
      assertEquals(503, health(relay).statusCode());
    }
  }

  private static HttpResponse<String> health(Relay relay) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
