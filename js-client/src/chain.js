/**
 * GunDB's chain API: `db.get(soul).get(field)…` paths that follow links, with put, set, map, on,
 * once and off.
 * @module chain
 */
import { isLink } from './ham.js';
import {
  CHAIN_PATH, chainPathOf, locate, valueAt, nodeSoul, flatten, newSoul,
} from './paths.js';

/** @typedef {import('./ham.js').FieldValue} FieldValue */
/** @typedef {import('./graph.js').WireNode} WireNode */
/** @typedef {import('./soulgraph.js').Soulgraph} Soulgraph */
/** @typedef {WireNode | FieldValue} ChainValue a node object (`_`: soul, states) or a value */
/** @typedef {Record<string, Record<string, FieldValue>>} Fields */

export class Chain {
  /**
   * @param {Soulgraph} db @param {string[]} path
   * @param {import('./user.js').FieldSigner} [signer] signs what this chain writes (user space)
   */
  constructor(db, path, signer) {
    /** @private */ this.db = db;
    /** The soul and keys this chain walks. @type {string[]} */
    this.path = path;
    /** @private */ this.signer = signer;
    /** @type {any} */ (this)[CHAIN_PATH] = path;
    /** @type {Set<() => void>} @private */ this.stops = new Set();
  }

  /**
   * The chain for a field of this node (or of the node it links to).
   * @param {string} key
   * @returns {Chain}
   */
  get(key) {
    if (typeof key !== 'string' || key.length === 0 || key === '_') {
      throw new TypeError('Expected a non-empty field name other than "_" but received '
        + String(key));
    }
    return new Chain(this.db, [...this.path, key], this.signer);
  }

  /**
   * Writes a value, a link (`{'#': soul}` or another chain) or an object (nested objects become
   * linked nodes). Visible locally at once; resolves on the relay's ack, rejects on its error or
   * after the ack timeout (the write then stays queued and is resent on reconnect).
   * With `{cert}` (from `SEA.certify`), the signed-in user writes into the certificate owner's
   * space (GunDB's `put(value, cb, {opt: {cert}})`); it rejects, writing nothing, if the
   * certificate does not cover a field.
   * @param {FieldValue | Chain | Record<string, unknown>} value
   * @param {{cert?: unknown}} [opt]
   * @returns {Promise<void>}
   */
  async put(value, opt = {}) {
    const signer = opt.cert === undefined ? this.signer : this.db.user().certifiedSigner(opt.cert);
    await this.db.ready;
    await this.learnPath(this.path, value);
    /** @type {Fields} */
    const fields = {};
    if (this.path.length === 1) {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || isLink(value)
        || chainPathOf(value)) {
        throw new TypeError(`Expected an object to put on node '${this.path[0]}' but received `
          + JSON.stringify(value));
      }
      flatten(this.db, this.path[0], /** @type {Record<string, unknown>} */ (value), fields);
    } else {
      const parent = nodeSoul(this.db, this.path.slice(0, -1), fields);
      flatten(this.db, parent, { [this.path[this.path.length - 1]]: value }, fields);
    }
    return this.db.write(fields, signer);
  }

  /**
   * Adds an item to the set this chain names: an object becomes a node with a fresh soul, a chain
   * is linked as it is. The set holds `{[itemSoul]: {'#': itemSoul}}`, as in GunDB.
   * @param {Chain | Record<string, unknown>} item
   * @param {{cert?: unknown}} [opt] `{cert}`: as in {@link put}
   * @returns {Promise<Chain>} the item's chain, once the relay acked the write
   */
  async set(item, opt = {}) {
    const signer = opt.cert === undefined ? this.signer : this.db.user().certifiedSigner(opt.cert);
    await this.db.ready;
    await this.learnPath(this.path, {});
    /** @type {Fields} */
    const fields = {};
    const list = nodeSoul(this.db, this.path, fields);
    const itemPath = chainPathOf(item);
    let itemSoul;
    if (itemPath) {
      itemSoul = nodeSoul(this.db, itemPath, fields);
    } else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      itemSoul = newSoul();
      flatten(this.db, itemSoul, /** @type {Record<string, unknown>} */ (item), fields);
    } else {
      throw new TypeError('Expected an object or a chain to add to a set but received '
        + JSON.stringify(item));
    }
    (fields[list] = fields[list] || {})[itemSoul] = { '#': itemSoul };
    await this.db.write(fields, signer);
    return this.db.get(itemSoul);
  }

  /**
   * Before writing under a path, asks the relays (when connected) for the steps the local replica
   * does not know, as GunDB does: a link someone else made must be followed, not overwritten.
   * Offline, the local replica decides. A put on a node itself needs no steps and is immediate.
   * @private @param {string[]} path @param {unknown} value what will be written at the path
   */
  async learnPath(path, value) {
    const last = value !== null && typeof value === 'object' && !chainPathOf(value)
      && !isLink(value) ? path.length : path.length - 1;
    let soul = path[0];
    for (let i = 1; i < last; i++) {
      if (this.db.node(soul)?.[path[i]] === undefined) {
        await this.db.fetch(soul, path[i]);
        await this.db.settled();
      }
      const step = this.db.node(soul)?.[path[i]];
      if (!isLink(step)) {
        return;
      }
      soul = step['#'];
    }
  }

  /** @returns {MapChain} the items of the set (or node) this chain names */
  map() {
    return new MapChain(this.db, this.path);
  }

  /**
   * The current value: asks the relays (when connected) along the path, as GunDB does.
   * @returns {Promise<ChainValue | undefined>} undefined when missing
   */
  async once() {
    await this.db.ready;
    let soul = this.path[0];
    for (let i = 1; i < this.path.length; i++) {
      await this.db.fetch(soul, this.path[i]);
      this.db.node(soul); // starts the signature checks of user-space fields
      await this.db.settled();
      const value = this.db.node(soul)?.[this.path[i]];
      if (!isLink(value)) {
        return valueAt(this.db, locate(this.db, this.path));
      }
      soul = value['#'];
    }
    await this.db.fetch(soul);
    this.db.node(soul);
    await this.db.settled();
    return valueAt(this.db, locate(this.db, this.path));
  }

  /**
   * Calls `callback(value, key)` with the current value (if any) and on every change, local or
   * remote, following links as they change.
   * @param {(value: ChainValue, key: string) => void} callback
   * @returns {() => void} unsubscribes
   */
  on(callback) {
    const key = this.path[this.path.length - 1];
    /** @type {Set<string>} */
    let souls = new Set();
    let lastText = '';
    let stopped = false;
    const check = () => {
      const location = locate(this.db, this.path);
      const next = new Set(location.souls);
      next.forEach((soul) => { if (!souls.has(soul)) this.db.subscribe(soul); });
      souls.forEach((soul) => { if (!next.has(soul)) this.db.unsubscribe(soul); });
      souls = next;
      const value = valueAt(this.db, location);
      const text = JSON.stringify(value);
      if (value !== undefined && text !== lastText) {
        lastText = text;
        callback(value, key);
      }
    };
    /** @type {() => void} */
    let unwatch = () => {};
    this.db.ready.then(() => {
      if (stopped) {
        return;
      }
      unwatch = this.db.watch((changed) => {
        if ([...souls].some((soul) => Object.hasOwn(changed, soul))) {
          check();
        }
      });
      check();
    });
    const stop = () => {
      stopped = true;
      unwatch();
      souls.forEach((soul) => this.db.unsubscribe(soul));
      souls.clear();
      this.stops.delete(stop);
    };
    this.stops.add(stop);
    return stop;
  }

  /** Stops every `on` registered through this chain object. */
  off() {
    [...this.stops].forEach((stop) => stop());
  }
}

/** The items of a set: every field of a node, links followed to the item nodes. */
export class MapChain {
  /** @param {Soulgraph} db @param {string[]} path */
  constructor(db, path) {
    /** @private */ this.db = db;
    /** @private */ this.list = new Chain(db, path);
    /** @type {Set<() => void>} @private */ this.stops = new Set();
  }

  /**
   * Calls `callback(item, key)` for every item now and whenever an item is added, changed or
   * removed (then `item` is null).
   * @param {(item: ChainValue, key: string) => void} callback
   * @returns {() => void} unsubscribes
   */
  on(callback) {
    /** @type {Map<string, () => void>} */
    const items = new Map();
    const stopList = this.list.on((list) => {
      if (list === null || typeof list !== 'object' || isLink(list)) {
        return;
      }
      for (const key of Object.keys(list)) {
        if (key !== '_' && !items.has(key)) {
          items.set(key, this.list.get(key).on((item) => callback(item, key)));
        }
      }
    });
    const stop = () => {
      stopList();
      items.forEach((stopItem) => stopItem());
      items.clear();
      this.stops.delete(stop);
    };
    this.stops.add(stop);
    return stop;
  }

  /**
   * The current items, fetched from the relays when connected.
   * @returns {Promise<Record<string, ChainValue>>} key → item; missing items are left out
   */
  async once() {
    const list = await this.list.once();
    /** @type {Record<string, ChainValue>} */
    const items = {};
    if (list === null || list === undefined || typeof list !== 'object' || isLink(list)) {
      return items;
    }
    const keys = Object.keys(list).filter((key) => key !== '_');
    const values = await Promise.all(keys.map((key) => this.list.get(key).once()));
    keys.forEach((key, i) => {
      if (values[i] !== undefined) {
        items[key] = /** @type {ChainValue} */ (values[i]);
      }
    });
    return items;
  }

  /** Stops every `on` registered through this map chain. */
  off() {
    [...this.stops].forEach((stop) => stop());
  }
}
