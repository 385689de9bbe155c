/**
 * How chain paths map onto the local replica: following links, naming new nodes as GunDB does,
 * and flattening nested objects into linked nodes.
 * @module paths
 */
import { isLink, isFieldValue } from './ham.js';
import { randomId } from './wire.js';

/** @typedef {import('./ham.js').FieldValue} FieldValue */
/** @typedef {import('./graph.js').WireNode} WireNode */
/** @typedef {import('./soulgraph.js').Soulgraph} Soulgraph */

/** Marks a chain; its value is the chain's path (so values can be links to chains). */
export const CHAIN_PATH = Symbol('soulgraph.chainPath');

/**
 * Where a path leads in the local replica.
 * @typedef {{kind: 'node', soul: string, souls: string[]}
 *   | {kind: 'value', value: FieldValue, souls: string[]}
 *   | {kind: 'missing', souls: string[]}} Location
 */

/** @param {Soulgraph} db @param {string[]} path @returns {Location} */
export function locate(db, path) {
  let soul = path[0];
  const souls = [soul];
  for (let i = 1; i < path.length; i++) {
    const node = db.node(soul);
    if (!node || !Object.hasOwn(node, path[i]) || path[i] === '_') {
      return { kind: 'missing', souls };
    }
    const value = node[path[i]];
    if (isLink(value)) {
      soul = value['#'];
      souls.push(soul);
    } else if (i === path.length - 1) {
      return { kind: 'value', value, souls };
    } else {
      return { kind: 'missing', souls };
    }
  }
  return { kind: 'node', soul, souls };
}

/**
 * What a location shows the user: a node object (`_` holds its soul and states), a value, or
 * undefined.
 * @param {Soulgraph} db @param {Location} location
 * @returns {WireNode | FieldValue | undefined}
 */
export function valueAt(db, location) {
  if (location.kind === 'node') {
    return db.node(location.soul);
  }
  return location.kind === 'value' ? location.value : undefined;
}

/**
 * The soul a path's node has or will get: links are followed, missing steps become
 * `parent + '/' + key` (as in GunDB) and the links to them are added to `fields`.
 * @param {Soulgraph} db @param {string[]} path
 * @param {Record<string, Record<string, FieldValue>>} fields
 * @returns {string}
 */
export function nodeSoul(db, path, fields) {
  let soul = path[0];
  for (let i = 1; i < path.length; i++) {
    const node = db.node(soul);
    const value = node && Object.hasOwn(node, path[i]) ? node[path[i]] : undefined;
    if (isLink(value)) {
      soul = value['#'];
      continue;
    }
    if (value !== undefined && value !== null) {
      throw new TypeError(`Expected a node at '${path.slice(0, i + 1).join('.')}' `
        + `but received the value ${JSON.stringify(value)}`);
    }
    const child = soul + '/' + path[i];
    addField(fields, soul, path[i], { '#': child });
    soul = child;
  }
  return soul;
}

/**
 * Flattens an object into linked nodes: nested objects get soul `parent + '/' + key` (or keep the
 * node an existing link points to).
 * @param {Soulgraph} db @param {string} soul @param {Record<string, unknown>} object
 * @param {Record<string, Record<string, FieldValue>>} fields
 */
export function flatten(db, soul, object, fields) {
  fields[soul] = fields[soul] || {};
  for (const key of Object.keys(object)) {
    if (key === '_') {
      continue;
    }
    addField(fields, soul, key, toField(db, soul, key, object[key], fields));
  }
}

/**
 * @param {Soulgraph} db @param {string} soul @param {string} key @param {unknown} value
 * @param {Record<string, Record<string, FieldValue>>} fields
 * @returns {FieldValue}
 */
function toField(db, soul, key, value, fields) {
  const chainPath = chainPathOf(value);
  if (chainPath) {
    return { '#': nodeSoul(db, chainPath, fields) };
  }
  if (isFieldValue(value)) {
    return value;
  }
  if (isPlainObject(value)) {
    const existing = db.node(soul)?.[key];
    const child = isLink(existing) ? existing['#'] : soul + '/' + key;
    flatten(db, child, /** @type {Record<string, unknown>} */ (value), fields);
    return { '#': child };
  }
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'number' ? String(value)
    : typeof value;
  throw new TypeError(`Expected a string, finite number, boolean, null, link or object at `
    + `'${soul}.${key}' but received ${kind}`);
}

/** @param {unknown} value @returns {boolean} */
function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);
}

/**
 * @param {Record<string, Record<string, FieldValue>>} fields
 * @param {string} soul @param {string} key @param {FieldValue} value
 */
function addField(fields, soul, key, value) {
  (fields[soul] = fields[soul] || {})[key] = value;
}

/** A random soul for a new set item (time-ordered prefix, random tail). */
export function newSoul() {
  return Date.now().toString(36) + randomId(12);
}


/**
 * The path of a chain, or undefined for anything else.
 * @param {unknown} value
 * @returns {string[] | undefined}
 */
export function chainPathOf(value) {
  return value !== null && typeof value === 'object'
    ? /** @type {any} */ (value)[CHAIN_PATH] : undefined;
}
