package io.soulgraph.relay.sync;

import io.soulgraph.ham.Graph;

/**
 * A change the store committed, as publishers receive it.
 *
 * @param graph the accepted fields
 * @param putMessage a GunDB put message carrying exactly {@code graph} ({@code {"#":id,"put":{…}}}),
 *     encoded once for every receiver
 * @param origin the session it came from (a publisher skips sending it back there), or null for
 *     the relay's own writes
 */
public record CommittedChange(Graph graph, String putMessage, Session origin) {}
