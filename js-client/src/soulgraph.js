/**
 * Soulgraph's client: GunDB's chain API over a local HAM replica that works offline, persists in
 * IndexedDB, and syncs with relays over GunDB's wire protocol.
 *
 * ```js
 * import { Soulgraph } from '/soulgraph.js';
 * const db = new Soulgraph({ peers: ['ws://127.0.0.1:8765/gun'], store: 'indexeddb' });
 * await db.get('alice').put({ name: 'Alice' });
 * db.get('alice').get('name').on((name) => console.log(name));
 * ```
 * @module soulgraph
 */
import { StateClock } from './ham.js';
import { LocalGraph, toWireNode } from './graph.js';
import { memoryStore, indexedDbStore } from './store.js';
import { Sync } from './sync.js';
import { randomId } from './wire.js';
import { Chain } from './chain.js';
import { SignedView, User, ownerOf, requireSignable } from './user.js';

export { Chain, MapChain } from './chain.js';
export { resolve, jsonText, compareHam, StateClock, EPSILON } from './ham.js';
export { SEA } from './sea.js';
export { User } from './user.js';

/** @typedef {import('./ham.js').FieldValue} FieldValue */
/** @typedef {import('./graph.js').WireGraph} WireGraph */
/** @typedef {import('./graph.js').WireNode} WireNode */

/**
 * @typedef {object} SoulgraphOptions
 * @property {string[]} [peers] relay urls, e.g. `ws://127.0.0.1:8765/gun`
 * @property {'indexeddb' | 'memory'} [store] where the replica persists (default: IndexedDB in a
 *   browser, memory elsewhere)
 * @property {string} [name] the IndexedDB database name (default `soulgraph`)
 * @property {any} [WebSocket] a WebSocket constructor (default: the global one, else npm `ws`)
 * @property {number} [ackTimeout] ms a put waits for an ack before it rejects (default 9000; the
 *   write stays queued)
 * @property {number} [getTimeout] ms a read waits for a relay's answer (default 3000)
 * @property {() => number} [now] the wall clock in ms (tests)
 */

export class Soulgraph {
  /** @param {SoulgraphOptions} [options] */
  constructor(options = {}) {
    /** @private */ this.ackTimeout = options.ackTimeout ?? 9000;
    /** @private */ this.clock = new StateClock(options.now ?? Date.now);
    /** @type {Set<(changed: WireGraph) => void>} @private */ this.watchers = new Set();
    /** @private */ this.graph = new LocalGraph(this.clock, (changed) => this.changed(changed));
    const kind = options.store ?? (typeof indexedDB === 'undefined' ? 'memory' : 'indexeddb');
    /** @private */
    this.store = kind === 'indexeddb' ? indexedDbStore(options.name ?? 'soulgraph') : memoryStore();
    /** @private */ this.dirty = { souls: new Set(), add: /** @type {any[]} */ ([]),
      remove: /** @type {string[]} */ ([]), scheduled: false };
    /** @private */
    this.sync = new Sync({
      peers: options.peers ?? [],
      webSocketClass: webSocketClass(options.WebSocket),
      graph: this.graph,
      merge: (diff) => this.graph.merge(diff),
      outboxRemoved: (key) => this.persist([], [], [key]),
      getTimeout: options.getTimeout ?? 3000,
    });
    /** @private */
    this.signed = new SignedView((soul) => this.verified(soul));
    /** @type {User | undefined} @private */ this.account = undefined;
    /** Resolves once local data is loaded (before any network answer is merged). */
    this.ready = this.load();
  }

  /** @private */
  async load() {
    const saved = await this.store.load();
    /** @type {WireGraph} */
    const diff = {};
    saved.nodes.forEach((record, soul) => { diff[soul] = toWireNode(soul, record); });
    this.graph.merge(diff, Infinity);
    saved.outbox.forEach((entry) => this.sync.restore(entry));
    this.sync.start();
  }

  /**
   * The chain for a node.
   * @param {string} soul
   * @returns {Chain}
   */
  get(soul) {
    if (typeof soul !== 'string' || soul.length === 0) {
      throw new TypeError('Expected a non-empty soul string but received ' + String(soul));
    }
    return new Chain(this, [soul]);
  }

  /**
   * `user()`: this instance's user (create, auth, leave, recall; its puts are signed).
   * `user(pub)`: the chain for another user's space `~<pub>` (read; values verified).
   * @overload
   * @returns {User}
   */
  /**
   * @overload
   * @param {string} pub
   * @returns {Chain}
   */
  /**
   * @param {string} [pub]
   * @returns {User | Chain}
   */
  user(pub) {
    if (pub !== undefined) {
      return this.get(pub.startsWith('~') ? pub : '~' + pub);
    }
    if (!this.account) {
      this.account = new User(this, this.signed);
    }
    return this.account;
  }

  /** True while at least one relay is connected. */
  get online() {
    return this.sync.online();
  }

  /** How many local writes wait for a relay's ack. */
  get queued() {
    return this.sync.queuedCount();
  }

  /**
   * Drops every relay connection; they reconnect with backoff (for tests and demos).
   * @returns {void}
   */
  disconnect() {
    this.sync.peers.forEach((peer) => peer.drop());
  }

  /** Closes connections, timers and storage. */
  close() {
    this.sync.close();
    this.graph.close();
    this.watchers.clear();
    this.flush().finally(() => this.store.close());
  }

  /**
   * Writes fields, all stamped with one causal state; visible locally at once, persisted,
   * queued and sent. Resolves on the relay's ack.
   * @param {Record<string, Record<string, FieldValue>>} fields soul → field → value
   * @param {import('./user.js').FieldSigner} [signer] signs user-space fields once stamped
   * @returns {Promise<void>}
   * @internal
   */
  async write(fields, signer) {
    return (await this.writeLocally(fields, signer)).acked;
  }

  /**
   * {@link write}'s first half: resolves once the write is in the local replica and queued, with
   * the promise of its ack.
   * @param {Record<string, Record<string, FieldValue>>} fields soul → field → value
   * @param {import('./user.js').FieldSigner} [signer] signs user-space fields once stamped
   * @returns {Promise<{acked: Promise<void>}>}
   * @internal
   */
  async writeLocally(fields, signer) {
    requireSignable(fields, signer);
    await this.ready;
    let highest = -Infinity;
    for (const soul of Object.keys(fields)) {
      for (const field of Object.keys(fields[soul])) {
        highest = Math.max(highest, this.graph.state(soul, field) ?? -Infinity);
      }
    }
    const state = highest === -Infinity ? this.clock.next() : this.clock.stampAfter(highest);
    /** @type {WireGraph} */
    const put = {};
    for (const soul of Object.keys(fields)) {
      /** @type {WireNode} */
      const node = { _: { '#': soul, '>': {} } };
      for (const field of Object.keys(fields[soul])) {
        node._['>'][field] = state;
        node[field] = signer ? await signer.sign(soul, field, fields[soul][field], state)
          : fields[soul][field];
      }
      put[soul] = node;
    }
    this.graph.merge(put, Math.max(this.clock.now(), state));
    const entry = { key: randomId(16), put };
    this.persist([], [entry], []);
    const acked = this.sync.enqueue(entry, this.ackTimeout);
    return { acked };
  }

  /**
   * Calls `listener` with what changed after every merge.
   * @param {(changed: WireGraph) => void} listener
   * @returns {() => void} stops listening
   * @internal
   */
  watch(listener) {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /**
   * A node as readers see it: in user space (`~<pub>…`), only fields whose signature by the
   * owner verified, unpacked to their values.
   * @internal @param {string} soul @returns {WireNode | undefined}
   */
  node(soul) {
    const record = this.graph.node(soul);
    if (!record) {
      return undefined;
    }
    const owner = ownerOf(soul);
    return owner ? this.signed.view(toWireNode(soul, record), owner) : toWireNode(soul, record);
  }

  /** Resolves when every signature check started by reads so far is done. @internal */
  settled() {
    return this.signed.settled();
  }

  /** A signature check finished: readers of that soul look again. @private @param {string} soul */
  verified(soul) {
    const node = this.node(soul);
    if (node) {
      this.watchers.forEach((listener) => listener({ [soul]: node }));
    }
  }

  /** @internal @param {string} soul @param {string} [field] */
  fetch(soul, field) {
    return this.sync.fetch(soul, field);
  }

  /** @internal @param {string} soul */
  subscribe(soul) {
    this.sync.subscribe(soul);
  }

  /** @internal @param {string} soul */
  unsubscribe(soul) {
    this.sync.unsubscribe(soul);
  }

  /** @private @param {WireGraph} changed */
  changed(changed) {
    this.persist(Object.keys(changed), [], []);
    this.watchers.forEach((listener) => listener(changed));
  }

  /**
   * @private
   * @param {string[]} souls @param {import('./store.js').OutboxEntry[]} add
   * @param {string[]} remove
   */
  persist(souls, add, remove) {
    souls.forEach((soul) => this.dirty.souls.add(soul));
    this.dirty.add.push(...add);
    this.dirty.remove.push(...remove);
    if (!this.dirty.scheduled) {
      this.dirty.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** @private */
  async flush() {
    const { souls, add, remove } = this.dirty;
    this.dirty = { souls: new Set(), add: [], remove: [], scheduled: false };
    /** @type {Map<string, import('./graph.js').NodeRecord>} */
    const nodes = new Map();
    souls.forEach((soul) => {
      const record = this.graph.node(soul);
      if (record) {
        nodes.set(soul, record);
      }
    });
    const removed = new Set(remove);
    const added = add.filter((entry) => !removed.has(entry.key));
    if (nodes.size > 0 || added.length > 0 || remove.length > 0) {
      await this.store.write(nodes, added, remove);
    }
  }
}

/**
 * The WebSocket constructor: the injected one, the global one, or npm `ws` in Node.
 * @param {any} injected
 * @returns {Promise<any>}
 */
function webSocketClass(injected) {
  if (injected) {
    return Promise.resolve(injected);
  }
  if (typeof globalThis.WebSocket === 'function') {
    return Promise.resolve(globalThis.WebSocket);
  }
  const moduleName = 'ws';
  return import(moduleName).then((module) => module.WebSocket || module.default);
}
