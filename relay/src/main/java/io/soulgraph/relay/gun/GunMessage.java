package io.soulgraph.relay.gun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One decoded message: a closed set of kinds, each with exactly what the relay acts on. Unknown
 * wire fields stay only in {@code raw} (which is what gets forwarded verbatim). A message is
 * classified by the first of: {@code ae}, {@code put}, {@code get}, {@code dam}, {@code @}.
 */
public sealed interface GunMessage {

  /** The message id ({@code #}), never null (assigned if the sender gave none). */
  String id();

  /** The id this message answers ({@code @}), or null. */
  String replyTo();

  /** The message as received (with {@code #} filled in). */
  ObjectNode raw();

  /**
   * A graph diff: a put, or the answer to a get when {@code replyTo} is set.
   *
   * @param put the graph as sent (an object)
   */
  record Put(String id, String replyTo, JsonNode put, ObjectNode raw) implements GunMessage {}

  /**
   * A get.
   *
   * @param request what it asks for, or null for a well-formed get the store cannot answer (a LEX
   *     soul): answered not-found and forwarded
   */
  record Get(String id, String replyTo, GetRequest request, ObjectNode raw)
      implements GunMessage {}

  /**
   * A DAM control message (the handshake {@code ?}, {@code hi}, {@code !}, …).
   *
   * @param network the Soulgraph network named by the handshake's {@code sg} marker, or null when
   *     it carries none (GunDB peers and browsers)
   */
  record Dam(String id, String replyTo, String word, String network, ObjectNode raw)
      implements GunMessage {}

  /**
   * An anti-entropy message between Soulgraph peers (docs/sync-protocol.md).
   *
   * @param step {@code ctx}, {@code batch} or {@code ok}
   */
  record AntiEntropy(String id, String replyTo, String step, ObjectNode raw)
      implements GunMessage {}

  /** Any other answer ({@code @}: an ack, an {@code err}, a not-found): routed to the asker. */
  record Reply(String id, String replyTo, ObjectNode raw) implements GunMessage {}

  /** Anything else: counted and dropped. */
  record Other(String id, String replyTo, ObjectNode raw) implements GunMessage {}
}
