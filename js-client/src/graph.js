/**
 * The local replica: every node this client knows, merged field by field with HAM. Future states
 * are held and merged when their time comes, as GunDB and ham-crdt do.
 * @module graph
 */
import { resolve, isFieldValue } from './ham.js';

/** @typedef {import('./ham.js').FieldValue} FieldValue */

/**
 * A node as stored: values and HAM states per field.
 * @typedef {{values: Record<string, FieldValue>, states: Record<string, number>}} NodeRecord
 */

/**
 * A graph diff in GunDB's wire shape:
 * `{soul: {_: {'#': soul, '>': {field: state}}, field: value}}`.
 * @typedef {Record<string, WireNode>} WireGraph
 * @typedef {{_: {'#': string, '>': Record<string, number>}} & Record<string, any>} WireNode
 */

const MAX_TIMER_MS = 2 ** 31 - 1;
const DEFERRED_CAPACITY = 10000;

export class LocalGraph {
  /**
   * @param {{now: () => number}} clock the machine clock HAM compares with
   * @param {(changed: WireGraph) => void} onChange called with what each merge changed
   */
  constructor(clock, onChange) {
    /** @private */ this.clock = clock;
    /** @private */ this.onChange = onChange;
    /** @type {Map<string, NodeRecord>} @private */
    this.nodes = new Map();
    /** @type {{until: number, soul: string, field: string, value: FieldValue}[]} @private */
    this.deferred = [];
    /** @type {ReturnType<typeof setTimeout> | null} @private */
    this.timer = null;
  }

  /** @param {string} soul @returns {NodeRecord | undefined} */
  node(soul) {
    return this.nodes.get(soul);
  }

  /** @returns {IterableIterator<string>} */
  souls() {
    return this.nodes.keys();
  }

  /**
   * The current state of a field, or undefined.
   * @param {string} soul @param {string} field
   */
  state(soul, field) {
    const node = this.nodes.get(soul);
    return node && Object.hasOwn(node.states, field) ? node.states[field] : undefined;
  }

  /**
   * Merges a diff with HAM. Invalid nodes and fields are skipped (GunDB stops at the first, but a
   * client loses nothing by keeping the valid rest).
   * @param {WireGraph} diff
   * @param {number} [machineState] the state to defer against (default: the clock now)
   * @returns {WireGraph} the fields that changed
   */
  merge(diff, machineState = this.clock.now()) {
    /** @type {WireGraph} */
    const changed = {};
    if (diff === null || typeof diff !== 'object') {
      return changed;
    }
    for (const soul of Object.keys(diff)) {
      const node = diff[soul];
      const meta = node && node._;
      if (!meta || meta['#'] !== soul || !meta['>'] || typeof meta['>'] !== 'object') {
        continue;
      }
      for (const field of Object.keys(node)) {
        const state = meta['>'][field];
        if (field === '_' || typeof state !== 'number' || !Number.isFinite(state)
          || !isFieldValue(node[field])) {
          continue;
        }
        this.mergeField(soul, field, node[field], state, machineState, changed);
      }
    }
    this.announce(changed);
    return changed;
  }

  /**
   * @private
   * @param {string} soul @param {string} field @param {FieldValue} value @param {number} state
   * @param {number} machineState @param {WireGraph} changed
   */
  mergeField(soul, field, value, state, machineState, changed) {
    const node = this.nodes.get(soul);
    const current = node && Object.hasOwn(node.states, field)
      ? { value: node.values[field], state: node.states[field] } : null;
    const decision = resolve({ value, state }, current, machineState);
    if (decision.outcome === 'defer') {
      this.hold(soul, field, value, decision.until);
      return;
    }
    if (decision.outcome !== 'accept') {
      return;
    }
    const target = node || { values: {}, states: {} };
    this.nodes.set(soul, target);
    target.values[field] = copyValue(value);
    target.states[field] = state;
    const out = changed[soul] || (changed[soul] = { _: { '#': soul, '>': {} } });
    out._['>'][field] = state;
    out[field] = copyValue(value);
  }

  /** @private @param {WireGraph} changed */
  announce(changed) {
    if (Object.keys(changed).length > 0) {
      this.onChange(changed);
    }
  }

  /**
   * @private
   * @param {string} soul @param {string} field @param {FieldValue} value @param {number} until
   */
  hold(soul, field, value, until) {
    if (this.deferred.length >= DEFERRED_CAPACITY) {
      return;
    }
    this.deferred.push({ until, soul, field, value: copyValue(value) });
    this.deferred.sort((a, b) => a.until - b.until);
    this.schedule();
  }

  /** @private */
  schedule() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.deferred.length === 0) {
      return;
    }
    const wait = Math.min(Math.max(0, Math.ceil(this.deferred[0].until - this.clock.now())),
      MAX_TIMER_MS);
    this.timer = setTimeout(() => this.releaseDue(), wait);
  }

  /** Merges every held field whose time has come. */
  releaseDue() {
    this.timer = null;
    const now = this.clock.now();
    /** @type {WireGraph} */
    const changed = {};
    while (this.deferred.length > 0 && this.deferred[0].until <= now) {
      const held = /** @type {{until: number, soul: string, field: string, value: FieldValue}} */ (
        this.deferred.shift());
      this.mergeField(held.soul, held.field, held.value, held.until, now, changed);
    }
    this.schedule();
    this.announce(changed);
  }

  /** How many future fields are held. */
  deferredCount() {
    return this.deferred.length;
  }

  /** Stops the deferral timer. */
  close() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

/**
 * A node record in GunDB's wire shape (a fresh copy).
 * @param {string} soul @param {NodeRecord} record
 * @returns {WireNode}
 */
export function toWireNode(soul, record) {
  /** @type {WireNode} */
  const node = { _: { '#': soul, '>': { ...record.states } } };
  for (const field of Object.keys(record.values)) {
    node[field] = copyValue(record.values[field]);
  }
  return node;
}

/** @param {FieldValue} value @returns {FieldValue} */
function copyValue(value) {
  return value !== null && typeof value === 'object' ? { '#': value['#'] } : value;
}
