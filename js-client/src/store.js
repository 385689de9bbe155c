/**
 * Where a client keeps its replica and its queue of unacknowledged writes between sessions:
 * IndexedDB in browsers, nothing (memory only) elsewhere.
 * @module store
 */

/** @typedef {import('./graph.js').NodeRecord} NodeRecord */
/** @typedef {import('./graph.js').WireGraph} WireGraph */

/**
 * A write not yet acknowledged by a relay.
 * @typedef {{key: string, put: WireGraph}} OutboxEntry
 */

/**
 * @typedef {object} Store
 * @property {() => Promise<{nodes: Map<string, NodeRecord>, outbox: OutboxEntry[]}>} load
 * @property {(nodes: Map<string, NodeRecord>, outboxAdd: OutboxEntry[],
 *   outboxRemove: string[]) => Promise<void>} write
 * @property {() => void} close
 */

/** @returns {Store} a store that keeps nothing beyond the process */
export function memoryStore() {
  return {
    load: async () => ({ nodes: new Map(), outbox: [] }),
    write: async () => {},
    close: () => {},
  };
}

const NODES = 'nodes';
const OUTBOX = 'outbox';

/**
 * @param {string} name the IndexedDB database name
 * @returns {Store}
 */
export function indexedDbStore(name) {
  if (typeof indexedDB === 'undefined') {
    throw new Error('Expected IndexedDB (a browser) for store "indexeddb" but it is missing; '
      + 'use store: "memory"');
  }
  /** @type {Promise<IDBDatabase>} */
  const opened = new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(NODES);
      request.result.createObjectStore(OUTBOX, { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return {
    async load() {
      const db = await opened;
      const tx = db.transaction([NODES, OUTBOX], 'readonly');
      const [souls, records, outbox] = await Promise.all([
        asPromise(tx.objectStore(NODES).getAllKeys()),
        asPromise(tx.objectStore(NODES).getAll()),
        asPromise(tx.objectStore(OUTBOX).getAll()),
      ]);
      /** @type {Map<string, NodeRecord>} */
      const nodes = new Map();
      souls.forEach((soul, i) => nodes.set(String(soul), records[i]));
      return { nodes, outbox };
    },
    async write(nodes, outboxAdd, outboxRemove) {
      const db = await opened;
      const tx = db.transaction([NODES, OUTBOX], 'readwrite');
      const nodeStore = tx.objectStore(NODES);
      nodes.forEach((record, soul) => nodeStore.put(record, soul));
      const outboxStore = tx.objectStore(OUTBOX);
      outboxAdd.forEach((entry) => outboxStore.put(entry));
      outboxRemove.forEach((key) => outboxStore.delete(key));
      await new Promise((resolve, reject) => {
        tx.oncomplete = () => resolve(undefined);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    },
    close() {
      opened.then((db) => db.close(), () => {});
    },
  };
}

/**
 * @template T
 * @param {IDBRequest<T>} request
 * @returns {Promise<T>}
 */
function asPromise(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
