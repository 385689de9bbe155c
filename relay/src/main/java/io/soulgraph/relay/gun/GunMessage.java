package io.soulgraph.relay.gun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One decoded Gun message. Exactly what the relay acts on; unknown wire fields stay only in {@code
 * raw} (which is what gets forwarded verbatim).
 *
 * @param id the message id ({@code #}), never null (assigned if the sender gave none)
 * @param replyTo the id this message answers ({@code @}), or null
 * @param get the get request, or null; {@code getUnsupported} marks a get the relay cannot answer
 *     from its store (a LEX soul)
 * @param put the graph diff as sent, or null
 * @param dam the DAM control word, or null
 * @param network the Soulgraph network named by a handshake's {@code sg} marker, or null when the
 *     message carries none (GunDB peers and browsers)
 * @param antiEntropy the anti-entropy step of a Soulgraph sync message ({@code ae}: {@code ctx},
 *     {@code batch} or {@code ok}), or null
 * @param raw the message as received (with {@code #} filled in)
 */
public record GunMessage(
    String id,
    String replyTo,
    GetRequest get,
    boolean getUnsupported,
    JsonNode put,
    String dam,
    String network,
    String antiEntropy,
    ObjectNode raw) {

  /** True for a get (answerable or not). */
  public boolean isGet() {
    return get != null || getUnsupported;
  }

  /** True for a message that carries a graph. */
  public boolean isPut() {
    return put != null;
  }
}
