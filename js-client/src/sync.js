/**
 * The network side of a client: relays, the queue of unacknowledged writes (resent on every
 * reconnect), gets and their answers, subscriptions (renewed on every reconnect), and answers to
 * gets that relays forward to us.
 * @module sync
 */
import { Peer, randomId } from './wire.js';
import { toWireNode } from './graph.js';
import { WriteQueue } from './outbox.js';

/** @typedef {import('./graph.js').WireGraph} WireGraph */
/** @typedef {import('./graph.js').LocalGraph} LocalGraph */
/** @typedef {import('./store.js').OutboxEntry} OutboxEntry */
/** @typedef {import('./wire.js').Message} Message */
/**
 * A get waiting for its answers; `expected` holds chunk ids announced by `%` not yet arrived.
 * @typedef {{done: (how: 'answered' | 'offline' | 'timeout') => void, arrived: Set<string>, expected: Set<string>,
 *   quiet?: ReturnType<typeof setTimeout>}} PendingGet
 */

const SEEN_MS = 9000;
const CHUNK_QUIET_MS = 99;

export class Sync {
  /**
   * @param {object} options
   * @param {string[]} options.peers relay urls
   * @param {Promise<any>} options.webSocketClass
   * @param {LocalGraph} options.graph
   * @param {(diff: WireGraph) => void} options.merge merges data received from the network
   * @param {(removedKey: string) => void} options.outboxRemoved
   * @param {number} options.getTimeout ms to wait for a get's answer
   */
  constructor(options) {
    /** @private */ this.options = options;
    /** @private */ this.outbox = new WriteQueue(options.outboxRemoved);
    /** @type {Map<string, PendingGet>} @private */ this.pendingGets = new Map();
    /** @type {Map<string, number>} soul → watchers @private */ this.subscriptions = new Map();
    /** @type {Map<string, number>} message id → when seen @private */ this.seen = new Map();
    const pid = randomId();
    this.peers = options.peers.map((url) => new Peer(url, pid, options.webSocketClass, {
      onOpen: (peer) => this.renew(peer),
      onMessage: (message, peer) => this.receive(message, peer),
      onClose: () => {},
    }));
  }

  /** Starts connecting to every relay. */
  start() {
    this.peers.forEach((peer) => peer.connect());
  }

  /** True if at least one relay is connected. */
  online() {
    return this.peers.some((peer) => peer.open);
  }

  /**
   * Queues a write and sends it; the promise settles on the first ack or error.
   * @param {OutboxEntry} entry
   * @param {number} timeoutMs
   * @returns {Promise<void>}
   */
  enqueue(entry, timeoutMs) {
    const settled = this.outbox.add(entry, timeoutMs);
    this.peers.filter((peer) => peer.open)
      .forEach((peer) => this.sendPuts(peer, entry.key));
    return settled;
  }

  /**
   * Queues a write left unacknowledged by an earlier session; it goes out on connect.
   * @param {OutboxEntry} entry
   */
  restore(entry) {
    this.outbox.restore(entry);
  }

  /** How many writes wait for an ack. */
  queuedCount() {
    return this.outbox.size;
  }

  /** @private @param {Peer} peer @param {string} [key] only this queued write */
  sendPuts(peer, key) {
    const relays = this.peers.filter((p) => p.open).length;
    const puts = this.outbox.messages(() => this.newId(), key)
      .map((message) => ({ '#': message['#'], ok: { '@': 9, '/': relays }, put: message.put }));
    puts.forEach((message) => peer.send(message));
  }

  /** @private A fresh message id, remembered so that an echo of it is dropped. */
  newId() {
    const id = randomId();
    this.remember(id);
    return id;
  }

  /**
   * Asks the relays for a node, or one field of it. Resolves once answered (every answer is
   * merged), at once when offline, or after the get timeout, saying which.
   * @param {string} soul @param {string} [field]
   * @returns {Promise<'answered' | 'offline' | 'timeout'>}
   */
  async fetch(soul, field) {
    await this.firstContact();
    const open = this.peers.filter((peer) => peer.open);
    if (open.length === 0) {
      return 'offline';
    }
    const id = this.newId();
    return new Promise((resolve) => {
      const timer = setTimeout(() => done('timeout'), this.options.getTimeout);
      /** @param {'answered' | 'offline' | 'timeout'} how */
      const done = (how) => {
        clearTimeout(timer);
        clearTimeout(pending.quiet);
        this.pendingGets.delete(id);
        resolve(how);
      };
      /** @type {PendingGet} */
      const pending = { done, arrived: new Set(), expected: new Set() };
      this.pendingGets.set(id, pending);
      const get = field === undefined ? { '#': soul } : { '#': soul, '.': field };
      open.forEach((peer) => peer.send({ '#': id, get }));
    });
  }

  /**
   * Waits (at most the get timeout) until every relay was tried once, so that a read right after
   * start asks the network instead of answering "missing" from an empty replica.
   * @private
   */
  firstContact() {
    if (this.online()) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.options.getTimeout);
      Promise.all(this.peers.map((peer) => peer.firstAttempt)).then(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }

  /**
   * Keeps a soul subscribed (asked for again on every reconnect) while someone watches it.
   * @param {string} soul
   */
  subscribe(soul) {
    const count = this.subscriptions.get(soul) || 0;
    this.subscriptions.set(soul, count + 1);
    if (count === 0 && this.online()) {
      this.fetch(soul);
    }
  }

  /** @param {string} soul */
  unsubscribe(soul) {
    const count = this.subscriptions.get(soul) || 0;
    if (count <= 1) {
      this.subscriptions.delete(soul);
    } else {
      this.subscriptions.set(soul, count - 1);
    }
  }

  /**
   * Resends every unacknowledged write, then renews subscriptions and asks for the souls of the
   * resent writes (their answers also settle resent writes a relay will not ack twice).
   * @private @param {Peer} peer
   */
  renew(peer) {
    this.sendPuts(peer);
    const souls = new Set([...this.subscriptions.keys(), ...this.outbox.souls()]);
    const gets = [...souls].map((soul) => ({ '#': this.newId(), get: { '#': soul } }));
    if (gets.length > 0) {
      peer.send(gets);
    }
  }

  /** @private @param {Message} message @param {Peer} peer */
  receive(message, peer) {
    const id = message['#'];
    if (typeof id === 'string') {
      if (this.isSeen(id)) {
        return;
      }
      this.remember(id);
    }
    const replyTo = message['@'];
    if (typeof replyTo === 'string' && this.outbox.reply(replyTo, message)) {
      return;
    }
    if (message.put && typeof message.put === 'object') {
      this.outbox.relayHas(message.put);
      this.options.merge(message.put);
    }
    if (typeof replyTo === 'string' && this.pendingGets.has(replyTo)) {
      this.answered(replyTo, message);
    }
    if (message.get && typeof message.get === 'object' && typeof id === 'string') {
      this.answerForwardedGet(message.get, id, peer);
    }
  }

  /**
   * Several answers to one get are normal. A chunked answer names the next chunk's id in `%`
   * (memory) or says `%: 1`, more follows (RAD): wait for the named chunks, or for a quiet spell.
   * @private @param {string} replyTo @param {Message} message
   */
  answered(replyTo, message) {
    const pending = /** @type {PendingGet} */ (this.pendingGets.get(replyTo));
    const id = message['#'];
    const next = message['%'];
    if (typeof id === 'string') {
      pending.arrived.add(id);
      pending.expected.delete(id);
    }
    if (typeof next === 'string' && !pending.arrived.has(next)) {
      pending.expected.add(next);
    }
    clearTimeout(pending.quiet);
    if (next === undefined && pending.expected.size === 0) {
      pending.done('answered');
    } else if (pending.expected.size === 0) {
      pending.quiet = setTimeout(() => pending.done('answered'), CHUNK_QUIET_MS);
    }
  }

  /**
   * A relay forwards gets to its peers to find data only they hold (offline edits); answer from
   * the local replica when we have something.
   * @private @param {Record<string, any>} get @param {string} id @param {Peer} peer
   */
  answerForwardedGet(get, id, peer) {
    const soul = get['#'];
    const record = typeof soul === 'string' ? this.options.graph.node(soul) : undefined;
    if (!record) {
      return;
    }
    const node = toWireNode(soul, record);
    const field = get['.'];
    if (typeof field === 'string') {
      if (!Object.hasOwn(node, field) || field === '_') {
        return;
      }
      const only = { _: { '#': soul, '>': { [field]: node._['>'][field] } }, [field]: node[field] };
      peer.send({ '#': this.newId(), '@': id, put: { [soul]: only } });
      return;
    }
    peer.send({ '#': this.newId(), '@': id, put: { [soul]: node } });
  }

  /** @private @param {string} id */
  remember(id) {
    const now = Date.now();
    this.seen.set(id, now);
    if (this.seen.size > 1000) {
      this.seen.forEach((at, key) => {
        if (now - at > SEEN_MS) {
          this.seen.delete(key);
        }
      });
    }
  }

  /** @private @param {string} id */
  isSeen(id) {
    const at = this.seen.get(id);
    return at !== undefined && Date.now() - at <= SEEN_MS;
  }

  /** Closes every connection. */
  close() {
    this.peers.forEach((peer) => peer.close());
    this.pendingGets.forEach((pending) => pending.done('offline'));
  }
}
