package io.soulgraph.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay's HTTP face: /health, /info, /metrics and static files. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class HttpIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Relay relay;

  @BeforeAll
  static void startRelay() {
    relay = Relay.start(RelayConfig.ephemeral());
  }

  @AfterAll
  static void stopRelay() {
    relay.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + relay.port() + path);
    return HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void health_whenReady_is200Json() throws Exception {
    HttpResponse<String> response = get("/health");
    assertEquals(200, response.statusCode());
    assertEquals("ok", JSON.readTree(response.body()).path("status").asText());
  }

  @Test
  void info_namesVersionStorageAndListenAddresses() throws Exception {
    JsonNode info = JSON.readTree(get("/info").body());
    assertEquals("inmemory", info.path("storage").asText());
    assertTrue(info.path("version").isTextual());
    assertEquals(relay.gunUrl().toString(), info.path("listen").get(0).asText());
  }

  @Test
  void metrics_countConnectionsMessagesAcksAndCommitLatency() throws Exception {
    try (WireClient client = new WireClient(relay.gunUrl())) {
      long s = System.currentTimeMillis() - 1000;
      client.send(
          "{\"#\":\"mput1\",\"put\":{\"m\":{\"_\":{\"#\":\"m\",\">\":{\"k\":"
              + s
              + "}},\"k\":1}}}");
      client.replyTo("mput1");
      client.send("{\"#\":\"mget1\",\"get\":{\"#\":\"m\"}}");
      client.replyTo("mget1");
      String metrics = get("/metrics").body();
      assertTrue(metrics.contains("soulgraph_connections 1.0"), metrics);
      assertTrue(metrics.contains("soulgraph_messages_in_total{type=\"put\"}"), metrics);
      assertTrue(metrics.contains("soulgraph_messages_out_total{type=\"ack\"}"), metrics);
      assertTrue(metrics.contains("soulgraph_puts_total{outcome=\"accepted\"}"), metrics);
      assertTrue(metrics.contains("soulgraph_commit_latency_seconds_bucket"), metrics);
      assertTrue(metrics.contains("soulgraph_acks_total 1.0"), metrics);
    }
  }

  @Test
  void staticFile_js_isServedWithJavascriptContentType() throws Exception {
    HttpResponse<String> response = get("/relay-static-probe.js");
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"),
        response.headers().toString());
    assertTrue(response.body().contains("export const probe"));
  }

  @Test
  void staticDirectory_servesItsIndexHtml() throws Exception {
    HttpResponse<String> response = get("/probe-dir/");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(response.body().contains("relay static probe"));
  }
}
