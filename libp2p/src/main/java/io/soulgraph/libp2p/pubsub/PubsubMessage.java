package io.soulgraph.libp2p.pubsub;

import io.soulgraph.libp2p.PeerId;

/**
 * A pubsub message that passed signature checks, as handed to validators and subscribers.
 *
 * @param topic the topic it was published on
 * @param data the payload (the receiver's to keep)
 * @param from the peer that published and signed it
 * @param seqno its publisher's sequence number
 * @param receivedFrom the peer that forwarded it to us (equal to {@code from} if direct)
 */
public record PubsubMessage(String topic, byte[] data, PeerId from, long seqno,
    PeerId receivedFrom) {}
