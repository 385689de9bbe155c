package io.soulgraph.relay.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import io.soulgraph.relay.config.RelayConfig;
import io.soulgraph.relay.sync.TransportContract;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The transport contract over the relay's {@code /gun} WebSocket (Jetty), from a Tyrus client. */
final class WebSocketTransportIT extends TransportContract {

  @Override
  protected Endpoint start() {
    Relay relay = Relay.start(RelayConfig.ephemeral());
    return new Endpoint() {
      @Override
      public Client connect() throws Exception {
        WireClient wire = new WireClient(relay.gunUrl());
        return new Client() {
          @Override
          public void send(String frame) throws Exception {
            wire.send(frame);
          }

          @Override
          public void sendExpectingClose(String frame) {
            wire.sendExpectingClose(frame); // Tyrus fails a write that the relay's close overtook
          }

          @Override
          public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws Exception {
            return wire.await(match, timeout);
          }

          @Override
          public List<JsonNode> matching(Predicate<JsonNode> match) throws Exception {
            return wire.allAfter(match, Duration.ZERO);
          }

          @Override
          public boolean awaitClosed(Duration timeout) throws Exception {
            return !wire.isOpen() || wire.awaitClose(timeout) != null;
          }

          @Override
          public void close() {
            wire.close();
          }
        };
      }

      @Override
      public void close() {
        relay.close();
      }
    };
  }
}
