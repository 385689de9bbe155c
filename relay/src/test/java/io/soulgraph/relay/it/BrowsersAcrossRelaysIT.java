package io.soulgraph.relay.it;

import static io.soulgraph.relay.it.Libp2pFederationIT.address;
import static io.soulgraph.relay.it.Libp2pFederationIT.awaitSyncStream;
import static io.soulgraph.relay.it.Libp2pFederationIT.relay;
import static io.soulgraph.relay.it.NodeScripts.httpUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.soulgraph.relay.Relay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two headless Chromium pages running the bundled client, one on relay A and one on relay B, the
 * relays linked only by libp2p: each page sees the other's writes live, and B's page reloaded
 * shows what A's wrote ({@code src/test/js/browser-pair.mjs}, Debian's {@code /usr/bin/chromium}
 * through playwright-core).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
final class BrowsersAcrossRelaysIT {

  @Test
  void pagesOnTwoRelays_seeEachOthersWritesLive_andAfterAReload() throws Exception {
    NodeScripts.dir();
    try (Relay a = Relay.start(relay("default", null));
        Relay b = Relay.start(relay("default", null, address(a)))) {
      awaitSyncStream(a, b);
      try (NodeScripts.Running pages = NodeScripts.start("browser-pair.mjs",
          httpUrl(a.gunUrl()).replace("/gun", ""), httpUrl(b.gunUrl()).replace("/gun", ""))) {
        pages.result(Duration.ofSeconds(200));
        List<JsonNode> steps = pages.lines();
        assertEquals(4, steps.size(), steps.toString());
        for (JsonNode step : steps) {
          assertTrue(step.path("ok").asBoolean(), step.toString() + " in " + steps);
        }
      }
    }
  }
}
