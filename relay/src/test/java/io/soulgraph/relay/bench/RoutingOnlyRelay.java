package io.soulgraph.relay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's baseline, not a relay anyone should run: on the same Javalin/Jetty stack it acks
 * every put at once and forwards it to the connections that asked for its souls. No storage, no
 * HAM, no validation: the most this machine can route through this stack.
 *
 * <p>{@code RoutingOnlyRelay} prints {@code listening on ws://127.0.0.1:PORT/gun}.
 */
public final class RoutingOnlyRelay {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RoutingOnlyRelay() {}

  public static void main(String[] args) {
    Map<String, Set<WsContext>> subscribers = new ConcurrentHashMap<>();
    AtomicLong ids = new AtomicLong();
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = 0;
              cfg.routes.ws(
                  "/gun",
                  ws -> {
                    ws.onMessage(ctx -> route(ctx, JSON.readTree(ctx.message()), subscribers, ids));
                    ws.onClose(ctx -> subscribers.values().forEach(set -> set.remove(ctx)));
                  });
            });
    app.start();
    System.out.println("routing-only relay listening on ws://127.0.0.1:" + app.port() + "/gun");
  }

  private static void route(
      WsContext ctx, JsonNode frame, Map<String, Set<WsContext>> subscribers, AtomicLong ids)
      throws IOException {
    for (JsonNode message : frame.isArray() ? frame : JSON.createArrayNode().add(frame)) {
      String id = message.path("#").asText();
      JsonNode get = message.get("get");
      if (get != null) {
        subscribers
            .computeIfAbsent(get.path("#").asText(), s -> ConcurrentHashMap.newKeySet())
            .add(ctx);
        ctx.send(
            "{\"#\":\"r" + ids.incrementAndGet() + "\",\"@\":" + JSON.writeValueAsString(id) + "}");
      }
      JsonNode put = message.get("put");
      if (put != null) {
        String text =
            "{\"#\":\"r"
                + ids.incrementAndGet()
                + "\",\"put\":"
                + JSON.writeValueAsString(put)
                + "}";
        put.fieldNames()
            .forEachRemaining(
                soul -> subscribers.getOrDefault(soul, Set.of()).forEach(peer -> peer.send(text)));
        ctx.send(
            "{\"#\":\"r"
                + ids.incrementAndGet()
                + "\",\"@\":"
                + JSON.writeValueAsString(id)
                + ",\"ok\":1}");
      }
    }
  }
}
