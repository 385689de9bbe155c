package io.soulgraph.libp2p.internal.pubsub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Gossipsub's mcache: the messages of the last {@code history} heartbeats, served to IWANT; the
 * ids of the last {@code gossip} heartbeats are what IHAVE advertises. Not thread-safe.
 */
public final class MessageCache {
  private final Map<MessageId, Rpc.Message> messages = new HashMap<>();
  private final ArrayDeque<List<MessageId>> windows = new ArrayDeque<>();
  private final int history;
  private final int gossip;

  public MessageCache(int gossip, int history) {
    if (gossip > history) {
      throw new IllegalArgumentException("gossip windows " + gossip + " > history " + history);
    }
    this.gossip = gossip;
    this.history = history;
    windows.addFirst(new ArrayList<>());
  }

  public void put(MessageId id, Rpc.Message message) {
    if (messages.putIfAbsent(id, message) == null) {
      windows.peekFirst().add(id);
    }
  }

  public Rpc.Message get(MessageId id) {
    return messages.get(id);
  }

  /** Ids of {@code topic}'s messages in the gossip windows, newest first. */
  public List<MessageId> gossipIds(String topic) {
    List<MessageId> ids = new ArrayList<>();
    Iterator<List<MessageId>> it = windows.iterator();
    for (int i = 0; i < gossip && it.hasNext(); i++) {
      for (MessageId id : it.next()) {
        Rpc.Message m = messages.get(id);
        if (m != null && topic.equals(m.topic())) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** Starts a new window at each heartbeat, dropping the oldest. */
  public void shift() {
    windows.addFirst(new ArrayList<>());
    while (windows.size() > history) {
      windows.removeLast().forEach(messages::remove);
    }
  }

  public int size() {
    return messages.size();
  }
}
