package io.soulgraph.relay.gremlin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A Gremlin client as small as gremlinpython's transport: a plain WebSocket (the JDK's, which
 * sends no Origin unless told), GraphSON 3 requests in binary frames behind their mime type, one
 * request at a time. Tests what a non-Java driver sends, byte for byte, and lets a test set the
 * Origin header a browser would.
 */
public final class RawGremlinSocket implements AutoCloseable {

  static final String MIME = "application/vnd.gremlin-v3.0+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebSocket socket;
  private volatile CompletableFuture<String> reply = new CompletableFuture<>();

  private RawGremlinSocket(WebSocket socket) {
    this.socket = socket;
  }

  /** Opens {@code url}, sending {@code origin} as the Origin header unless it is null. */
  public static RawGremlinSocket open(String url, String origin) throws Exception {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10));
    if (origin != null) {
      builder.header("Origin", origin);
    }
    RawGremlinSocket[] self = new RawGremlinSocket[1];
    StringBuilder text = new StringBuilder();
    WebSocket socket = builder.buildAsync(URI.create(url), new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        text.append(StandardCharsets.UTF_8.decode(data));
        if (last) {
          self[0].reply.complete(text.toString());
          text.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          self[0].reply.complete(text.toString());
          text.setLength(0);
        }
        ws.request(1);
        return null;
      }
    }).get(15, TimeUnit.SECONDS);
    self[0] = new RawGremlinSocket(socket);
    return self[0];
  }

  /** Sends GraphSON bytecode ({@code [["V"],["has","soul","alice"],...]}) and returns the reply. */
  public JsonNode bytecode(String stepsJson) throws Exception {
    return request("""
        {"requestId":{"@type":"g:UUID","@value":"%s"},"op":"bytecode","processor":"traversal",
         "args":{"gremlin":{"@type":"g:Bytecode","@value":{"step":%s}},"aliases":{"g":"g"}}}
        """.formatted(UUID.randomUUID(), stepsJson));
  }

  /** Sends a script in {@code language} (null: the driver default) and returns the reply. */
  public JsonNode script(String script, String language) throws Exception {
    String args = "\"gremlin\":" + JSON.writeValueAsString(script)
        + (language == null ? "" : ",\"language\":\"" + language + "\"");
    return request("""
        {"requestId":{"@type":"g:UUID","@value":"%s"},"op":"eval","processor":"",
         "args":{%s}}""".formatted(UUID.randomUUID(), args));
  }

  private synchronized JsonNode request(String json) throws Exception {
    reply = new CompletableFuture<>();
    byte[] mime = MIME.getBytes(StandardCharsets.US_ASCII);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(1 + mime.length + body.length);
    frame.put((byte) mime.length).put(mime).put(body).flip();
    socket.sendBinary(frame, true).get(10, TimeUnit.SECONDS);
    return JSON.readTree(reply.get(30, TimeUnit.SECONDS));
  }

  @Override
  public void close() {
    socket.abort();
  }
}
