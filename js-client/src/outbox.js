/**
 * The queue of local writes not yet acknowledged by a relay: each is sent on every (re)connect
 * until an ack (or an error) settles it. Kept in the store by the client, so it survives reloads.
 * @module outbox
 */
import { compareHam } from './ham.js';

/** @typedef {import('./graph.js').WireGraph} WireGraph */
/** @typedef {import('./store.js').OutboxEntry} OutboxEntry */
/**
 * @typedef {{entry: OutboxEntry, sends: number, covered: Set<string>,
 *   settle?: {resolve: () => void, reject: (e: Error) => void}}} Queued
 */

export class WriteQueue {
  /** @param {(key: string) => void} onRemoved called when an entry leaves the queue */
  constructor(onRemoved) {
    /** @private */ this.onRemoved = onRemoved;
    /** @type {Map<string, Queued>} @private */ this.queued = new Map();
    /** @type {Map<string, string>} put message id → entry key @private */ this.sent = new Map();
  }

  /**
   * Queues a write; the promise settles on its first ack or error, or rejects with `lack: true`
   * after `timeoutMs` (the write then stays queued).
   * @param {OutboxEntry} entry @param {number} timeoutMs
   * @returns {Promise<void>}
   */
  add(entry, timeoutMs) {
    return new Promise((resolve, reject) => {
      /** @type {Queued} */
      const queued = { entry, sends: 0, covered: new Set() };
      const timer = setTimeout(() => {
        queued.settle = undefined;
        reject(Object.assign(new Error('No ACK yet: the write stays queued and will be resent'),
          { lack: true }));
      }, timeoutMs);
      queued.settle = {
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.queued.set(entry.key, queued);
    });
  }

  /**
   * Queues a write left unacknowledged by an earlier session.
   * @param {OutboxEntry} entry
   */
  restore(entry) {
    this.queued.set(entry.key, { entry, sends: 1, covered: new Set() });
  }

  /** How many writes wait. */
  get size() {
    return this.queued.size;
  }

  /**
   * The put messages to send for every queued write (or only the one with `key`), each with a
   * fresh id from `newId`.
   * @param {() => string} newId @param {string} [key]
   * @returns {{'#': string, put: WireGraph}[]}
   */
  messages(newId, key) {
    const entries = key === undefined ? [...this.queued.values()]
      : [this.queued.get(key)].filter((q) => q !== undefined);
    return entries.map((queued) => {
      const id = newId();
      this.sent.set(id, queued.entry.key);
      queued.sends++;
      return { '#': id, put: queued.entry.put };
    });
  }

  /**
   * Handles a reply; returns false if it does not answer one of our puts.
   * @param {string} replyTo @param {Record<string, any>} message
   */
  reply(replyTo, message) {
    const key = this.sent.get(replyTo);
    if (key === undefined) {
      return false;
    }
    this.sent.delete(replyTo);
    const queued = this.queued.get(key);
    if (queued && message.err) {
      this.finish(queued, new Error('The relay refused the write: ' + message.err));
    } else if (queued && message.ok) {
      this.finish(queued, null);
    }
    return true;
  }

  /**
   * A resent write may get no ack (a relay does not ack a put that changes nothing), so it is
   * also done once a relay shows, for each of its fields, a state at least as high under HAM's
   * order as ours.
   * @param {WireGraph} diff data received from a relay
   */
  relayHas(diff) {
    this.queued.forEach((queued) => {
      if (queued.sends < 2) {
        return;
      }
      let fields = 0;
      const put = queued.entry.put;
      for (const soul of Object.keys(put)) {
        for (const field of Object.keys(put[soul])) {
          if (field !== '_') {
            fields++;
            if (covers(diff[soul], field, put[soul][field], put[soul]._['>'][field])) {
              queued.covered.add(soul + '\u001b' + field);
            }
          }
        }
      }
      if (queued.covered.size === fields) {
        this.finish(queued, null);
      }
    });
  }

  /** The souls queued writes touch. @returns {Set<string>} */
  souls() {
    /** @type {Set<string>} */
    const souls = new Set();
    this.queued.forEach((queued) => Object.keys(queued.entry.put).forEach((s) => souls.add(s)));
    return souls;
  }

  /** @private @param {Queued} queued @param {Error | null} error */
  finish(queued, error) {
    this.queued.delete(queued.entry.key);
    this.onRemoved(queued.entry.key);
    if (queued.settle && error) {
      queued.settle.reject(error);
    } else if (queued.settle) {
      queued.settle.resolve();
    }
  }
}

/**
 * @param {Record<string, any> | undefined} theirs @param {string} field
 * @param {any} value @param {number} state
 */
function covers(theirs, field, value, state) {
  if (!theirs || !Object.hasOwn(theirs, field)) {
    return false;
  }
  const theirState = theirs._ && theirs._['>'] && theirs._['>'][field];
  return typeof theirState === 'number'
    && compareHam({ value: theirs[field], state: theirState }, { value, state }) >= 0;
}
