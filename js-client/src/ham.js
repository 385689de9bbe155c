/**
 * HAM, GunDB's per-field conflict rule: the JavaScript twin of ham-crdt's `Ham.resolve`,
 * `FieldState.HAM_ORDER` and `StateClock`. Every decision here must equal Java's for the same
 * input; `test/ham-oracle.mjs` lets the Java property test `JsResolverParityTest` check that.
 * @module ham
 */

/** The step between two states handed out in the same millisecond, as in GunDB. */
export const EPSILON = 1 / 999;

/**
 * A field value: null (tombstone), string, finite number, boolean, or a link `{"#": soul}`.
 * @typedef {null | string | number | boolean | {'#': string}} FieldValue
 */

/**
 * @typedef {object} FieldState
 * @property {FieldValue} value
 * @property {number} state HAM state: milliseconds since the epoch, with a fractional counter
 */

/**
 * @typedef {{outcome: 'accept'} | {outcome: 'historical'} | {outcome: 'equal'}
 *   | {outcome: 'defer', until: number}} HamDecision
 */

/**
 * The JSON text HAM compares on equal states: `JSON.stringify` of the value, a link written as
 * exactly `{"#":soul}` whatever else the object held.
 * @param {FieldValue} value
 * @returns {string}
 */
export function jsonText(value) {
  if (isLink(value)) {
    return '{"#":' + JSON.stringify(/** @type {{'#': string}} */ (value)['#']) + '}';
  }
  return JSON.stringify(value);
}

/**
 * True if `value` is a link `{"#": soul}`.
 * @param {unknown} value
 * @returns {value is {'#': string}}
 */
export function isLink(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && typeof (/** @type {any} */ (value))['#'] === 'string'
    && Object.keys(/** @type {object} */ (value)).length === 1;
}

/**
 * True if `value` may be stored in a field.
 * @param {unknown} value
 * @returns {value is FieldValue}
 */
export function isFieldValue(value) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      return value === null || isLink(value);
    default:
      return false;
  }
}

/**
 * Decides one incoming field against the current one (ham-crdt `Ham.resolve`).
 * @param {FieldState} incoming the update received
 * @param {FieldState | null | undefined} current the field held here, or none
 * @param {number} machineState this replica's current state (`StateClock.now()`)
 * @param {number} [drift] how far ahead an incoming state may be before it is deferred
 * @returns {HamDecision}
 */
export function resolve(incoming, current, machineState, drift = 0) {
  const s = incoming.state;
  if (s > machineState + drift) {
    return { outcome: 'defer', until: s };
  }
  if (current === null || current === undefined) {
    return { outcome: 'accept' };
  }
  const c = current.state;
  if (s < c) {
    return { outcome: 'historical' };
  }
  if (s > c) {
    return { outcome: 'accept' };
  }
  const a = jsonText(incoming.value);
  const b = jsonText(current.value);
  if (a > b) {
    return { outcome: 'accept' };
  }
  return a < b ? { outcome: 'historical' } : { outcome: 'equal' };
}

/**
 * The merge order of ham-crdt's `FieldState.HAM_ORDER`: state first, then JSON text.
 * @param {FieldState} a
 * @param {FieldState} b
 * @returns {number} negative, zero or positive as `a` is below, equal to or above `b`
 */
export function compareHam(a, b) {
  if (a.state !== b.state) {
    return a.state < b.state ? -1 : 1;
  }
  const x = jsonText(a.value);
  const y = jsonText(b.value);
  return x < y ? -1 : x > y ? 1 : 0;
}

const scratch = new DataView(new ArrayBuffer(8));

/**
 * The next double above `x` (Java's `Math.nextUp`).
 * @param {number} x
 * @returns {number}
 */
export function nextUp(x) {
  if (Number.isNaN(x) || x === Infinity) {
    return x;
  }
  if (x === 0) {
    return Number.MIN_VALUE;
  }
  scratch.setFloat64(0, x);
  const bits = scratch.getBigInt64(0);
  scratch.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return scratch.getFloat64(0);
}

/**
 * Hands out HAM states as ham-crdt's `StateClock` does: the machine's milliseconds, and within one
 * millisecond `t + N/999`, strictly increasing even when the wall clock steps back.
 */
export class StateClock {
  /** @param {() => number} [ticker] milliseconds since the epoch (default `Date.now`) */
  constructor(ticker = Date.now) {
    /** @private */ this.ticker = ticker;
    /** @private */ this.last = -Infinity;
    /** @private */ this.base = -Infinity;
    /** @private */ this.counter = 0;
  }

  /** The machine state now: what HAM compares incoming states with. */
  now() {
    return this.ticker();
  }

  /** A fresh state, strictly greater than every state this clock handed out before. */
  next() {
    const t = this.ticker();
    if (t > this.last) {
      return this.restartAt(t);
    }
    this.counter++;
    const candidate = this.base + this.counter * EPSILON;
    if (candidate <= this.last) {
      return this.restartAt(Math.max(this.last + EPSILON, nextUp(this.last)));
    }
    this.last = candidate;
    return candidate;
  }

  /**
   * The causal stamp for a local write of a field whose highest state seen is `highestSeen`:
   * `max(next(), highestSeen + ε)`, so a write made after seeing a value always wins over it.
   * @param {number} highestSeen
   */
  stampAfter(highestSeen) {
    const fresh = this.next();
    if (fresh > highestSeen) {
      return fresh;
    }
    return this.restartAt(Math.max(highestSeen + EPSILON, nextUp(highestSeen)));
  }

  /** @private @param {number} state */
  restartAt(state) {
    this.base = state;
    this.counter = 0;
    this.last = state;
    return state;
  }
}
