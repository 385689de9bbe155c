/**
 * SEA (GunDB's Security, Encryption, Authorization) on WebCrypto: key pairs, signatures,
 * encryption, proof of work and shared secrets that produce and accept exactly what gun's
 * `sea.js` (0.2020.1241) does, so data signed or encrypted by either side is read by the other.
 *
 * ```js
 * import { SEA } from '/sea.js';
 * const pair = await SEA.pair();
 * const signed = await SEA.sign('hello', pair);      // 'SEA{"m":"hello","s":"…"}'
 * await SEA.verify(signed, pair.pub);                  // 'hello'
 * const secret = await SEA.encrypt({ a: 1 }, pair);    // 'SEA{"ct":"…","iv":"…","s":"…"}'
 * await SEA.decrypt(secret, pair);                     // { a: 1 }
 * ```
 * @module sea
 */

/**
 * A SEA key pair: `pub`/`epub` are JWK `x` + '.' + `y` (base64url), `priv`/`epriv` JWK `d`.
 * @typedef {{pub: string, priv: string, epub: string, epriv: string}} Pair
 */

/** @typedef {{name?: string, encode?: string, raw?: boolean, iterations?: number,
 *   salt?: string, length?: number}} SeaOptions */

const encoder = new TextEncoder();
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDH = { name: 'ECDH', namedCurve: 'P-256' };
const SIGN = { name: 'ECDSA', hash: { name: 'SHA-256' } };
const PBKDF2_ITERATIONS = 100000;
const PBKDF2_BITS = 512;

/** @returns {SubtleCrypto} */
function subtle() {
  return globalThis.crypto.subtle;
}

/** @param {Uint8Array | ArrayBuffer} bytes @returns {string} standard base64 with padding */
export function toBase64(bytes) {
  return btoa(latin1(new Uint8Array(bytes)));
}

/** @param {string} text @returns {Uint8Array<ArrayBuffer>} */
export function fromBase64(text) {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Bytes as one character per byte: what SEA's own Buffer prints for `toString('utf8')`, and so
 * what it mixes into AES keys.
 * @param {Uint8Array} bytes @returns {string}
 */
function latin1(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

/** @param {number} length @returns {Uint8Array<ArrayBuffer>} */
function random(length) {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** @param {string} text @returns {Promise<Uint8Array<ArrayBuffer>>} */
async function sha256(text) {
  return new Uint8Array(await subtle().digest({ name: 'SHA-256' }, encoder.encode(text)));
}

/**
 * SEA's `parse`: strips a leading `SEA`, then JSON-parses; text that is not JSON stays text.
 * @param {unknown} value @returns {any}
 */
export function parse(value) {
  if (typeof value !== 'string') {
    return value;
  }
  const text = value.startsWith('SEA{') ? value.slice(3) : value;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** @param {unknown} value @returns {string} */
function text(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** @param {string} pub @param {KeyUsage[]} ops @param {string} [d] @returns {JsonWebKey} */
function jwk(pub, ops, d) {
  const [x, y] = pub.split('.');
  /** @type {JsonWebKey} */
  const key = { kty: 'EC', crv: 'P-256', x, y, ext: true, key_ops: ops };
  if (d) key.d = d;
  return key;
}

/** @type {Map<string, Promise<CryptoKey>>} */
const verifyKeys = new Map();

/** @param {string} pub @returns {Promise<CryptoKey>} */
function verifyKey(pub) {
  let key = verifyKeys.get(pub);
  if (!key) {
    key = subtle().importKey('jwk', jwk(pub, ['verify']), ECDSA, false, ['verify']);
    key.catch(() => verifyKeys.delete(pub));
    if (verifyKeys.size > 10000) verifyKeys.clear();
    verifyKeys.set(pub, key);
  }
  return key;
}

/**
 * A new signing (ECDSA P-256) and encryption (ECDH P-256) pair.
 * @returns {Promise<Pair>}
 */
export async function pair() {
  const signing = /** @type {CryptoKeyPair} */ (
    await subtle().generateKey(ECDSA, true, ['sign', 'verify']));
  const sPriv = await subtle().exportKey('jwk', signing.privateKey);
  const sPub = await subtle().exportKey('jwk', signing.publicKey);
  const dh = /** @type {CryptoKeyPair} */ (await subtle().generateKey(ECDH, true, ['deriveKey']));
  const ePriv = await subtle().exportKey('jwk', dh.privateKey);
  const ePub = await subtle().exportKey('jwk', dh.publicKey);
  return {
    pub: `${sPub.x}.${sPub.y}`,
    priv: /** @type {string} */ (sPriv.d),
    epub: `${ePub.x}.${ePub.y}`,
    epriv: /** @type {string} */ (ePriv.d),
  };
}

/**
 * The raw P1363 signature of SHA-256(`message`) as SEA makes it (ECDSA/SHA-256 over that
 * digest, so SHA-256 twice), base64.
 * @param {string} message @param {{pub: string, priv: string}} keys @returns {Promise<string>}
 */
export async function signText(message, keys) {
  const key = await subtle().importKey('jwk', jwk(keys.pub, ['sign'], keys.priv), ECDSA, false,
    ['sign']);
  return toBase64(await subtle().sign(SIGN, key, await sha256(message)));
}

/**
 * True if `signature` is `pub`'s SEA signature over `message`.
 * @param {string} message @param {string} signature base64 @param {string} pub
 * @returns {Promise<boolean>}
 */
export async function verifyText(message, signature, pub) {
  try {
    const bytes = fromBase64(signature);
    if (bytes.length !== 64) return false;
    return await subtle().verify(SIGN, await verifyKey(pub), bytes, await sha256(message));
  } catch {
    return false;
  }
}

/**
 * Signs data: `'SEA{"m": data, "s": signature}'` (or the object with `{raw: true}`).
 * @param {unknown} data @param {{pub: string, priv: string}} keys @param {SeaOptions} [opt]
 * @returns {Promise<string | {m: unknown, s: string}>}
 */
export async function sign(data, keys, opt = {}) {
  if (data === undefined) throw new TypeError('`undefined` not allowed.');
  const json = parse(data);
  if (json && typeof json === 'object' && 'm' in json && 's' in json
    && await verify(json, keys.pub) !== undefined) {
    return opt.raw ? json : 'SEA' + JSON.stringify(json); // already signed by this key
  }
  const signed = { m: json, s: await signText(text(json), keys) };
  return opt.raw ? signed : 'SEA' + JSON.stringify(signed);
}

/**
 * The signed data if `pub` (or `pair.pub`) signed it, else undefined.
 * @param {unknown} data `'SEA{…}'` or `{m, s}` @param {string | {pub: string}} pubOrPair
 * @returns {Promise<unknown>}
 */
export async function verify(data, pubOrPair) {
  const json = parse(data);
  const pub = typeof pubOrPair === 'string' ? pubOrPair : pubOrPair?.pub;
  if (!json || typeof json !== 'object' || typeof json.s !== 'string' || !pub) return undefined;
  const ok = await verifyText(text(json.m), json.s, pub);
  return ok ? parse(json.m) : undefined;
}

/**
 * SEA's `work`: PBKDF2-SHA256 (100,000 rounds, 64 bytes, base64) of data with a salt, or with
 * `{name: 'SHA-256'}` the base64 SHA-256 of data (content addressing).
 * @param {unknown} data @param {string | {epub: string}} [salt] @param {SeaOptions} [opt]
 * @returns {Promise<string>}
 */
export async function work(data, salt, opt = {}) {
  const message = text(data);
  if ((opt.name || '').toLowerCase().startsWith('sha')) {
    return toBase64(new Uint8Array(await subtle().digest({ name: opt.name || 'SHA-256' },
      encoder.encode(message))));
  }
  const saltText = opt.salt
    || (typeof salt === 'object' && salt ? salt.epub : salt)
    || latin1(random(9));
  const key = await subtle().importKey('raw', encoder.encode(message), { name: 'PBKDF2' }, false,
    ['deriveBits']);
  const bits = await subtle().deriveBits({
    name: 'PBKDF2', iterations: opt.iterations || PBKDF2_ITERATIONS,
    salt: encoder.encode(saltText), hash: { name: 'SHA-256' },
  }, key, opt.length || PBKDF2_BITS);
  return toBase64(new Uint8Array(bits));
}

/**
 * SEA's AES key: SHA-256 of the key text followed by the salt bytes as one char per byte.
 * @param {string} key @param {Uint8Array<ArrayBuffer>} salt @returns {Promise<CryptoKey>}
 */
async function aesKey(key, salt) {
  const digest = await sha256(key + latin1(salt));
  return subtle().importKey('raw', digest, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/**
 * Encrypts data with a pair's `epriv` (or a key text, e.g. a `work` proof or a `secret`):
 * AES-GCM, `'SEA{"ct","iv","s"}'` (or the object with `{raw: true}`).
 * @param {unknown} data @param {string | {epriv: string}} pairOrKey @param {SeaOptions} [opt]
 * @returns {Promise<string | {ct: string, iv: string, s: string}>}
 */
export async function encrypt(data, pairOrKey, opt = {}) {
  if (data === undefined) throw new TypeError('`undefined` not allowed.');
  const key = typeof pairOrKey === 'string' ? pairOrKey : pairOrKey.epriv;
  const salt = random(9);
  const iv = random(15);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv }, await aesKey(key, salt),
    encoder.encode(text(data)));
  const out = { ct: toBase64(new Uint8Array(ct)), iv: toBase64(iv), s: toBase64(salt) };
  return opt.raw ? out : 'SEA' + JSON.stringify(out);
}

/**
 * Decrypts what {@link encrypt} (or gun's SEA.encrypt) made; undefined if the key is wrong.
 * @param {unknown} data @param {string | {epriv: string}} pairOrKey @returns {Promise<unknown>}
 */
export async function decrypt(data, pairOrKey) {
  const json = parse(data);
  const key = typeof pairOrKey === 'string' ? pairOrKey : pairOrKey?.epriv;
  if (!json || typeof json !== 'object' || !key) return undefined;
  try {
    const plain = await subtle().decrypt({ name: 'AES-GCM', iv: fromBase64(json.iv),
      tagLength: 128 }, await aesKey(key, fromBase64(json.s)), fromBase64(json.ct));
    return parse(new TextDecoder('utf-8').decode(plain));
  } catch {
    return undefined;
  }
}

/**
 * The ECDH secret between another user's `epub` and our pair: an AES key text (JWK `k`), the
 * same on both sides, for {@link encrypt}/{@link decrypt}.
 * @param {string | {epub: string}} other @param {Pair} mine @returns {Promise<string>}
 */
export async function secret(other, mine) {
  const epub = typeof other === 'string' ? other : other.epub;
  const [x, y] = epub.split('.');
  const publicKey = await subtle().importKey('jwk', { kty: 'EC', crv: 'P-256', x, y, ext: true },
    ECDH, true, []);
  const [mx, my] = mine.epub.split('.');
  const privateKey = await subtle().importKey('jwk',
    { kty: 'EC', crv: 'P-256', x: mx, y: my, d: mine.epriv, ext: true }, ECDH, false,
    ['deriveBits']);
  const bits = await subtle().deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const aes = await subtle().importKey('raw', bits, { name: 'AES-GCM', length: 256 }, true,
    ['encrypt', 'decrypt']);
  return /** @type {string} */ ((await subtle().exportKey('jwk', aes)).k);
}

/**
 * gun's certificant normalisation: `'*'` (or a list holding it), a pub, a pair, or a list of them.
 * @param {unknown} certificants @returns {string | string[] | undefined}
 */
function certificantsOf(certificants) {
  if (!certificants) return undefined;
  if ((typeof certificants === 'string' || Array.isArray(certificants))
    && certificants.indexOf('*') > -1) return '*';
  if (typeof certificants === 'string') return certificants;
  /** @param {any} one @returns {string | undefined} */
  const pubOf = (one) => (typeof one === 'string' ? one
    : one && typeof one === 'object' && typeof one.pub === 'string' ? one.pub : undefined);
  if (Array.isArray(certificants)) {
    if (certificants.length === 1) return pubOf(certificants[0]);
    const pubs = /** @type {string[]} */ (certificants.map(pubOf).filter(Boolean));
    return pubs.length > 0 ? pubs : undefined;
  }
  return pubOf(certificants);
}

/**
 * A certificate, as gun's `SEA.certify`: the `authority` lets `certificants` (a pub, a pair,
 * `'*'` for anyone, or a list) write where `policy` says in the authority's user space — a path
 * (`'inbox'`), a LEX object (`{'*': 'inbox', '+': '*'}`: under `inbox`, in paths or keys that
 * contain the writer's pub), or a list of them; `{read, write}` sets them apart. `opt.expiry`
 * (ms since the epoch) bounds the state of certified writes; `opt.block` names a block list
 * (`'block'`: the owner's `block` field links to a node whose field `<pub>: true` blocks `pub`).
 * Writers pass it to `put(value, {cert})`.
 * @param {unknown} certificants @param {unknown} policy @param {{pub: string, priv: string}} authority
 * @param {((cert: unknown) => void) | null} [cb]
 * @param {{expiry?: number | string, block?: unknown, blacklist?: unknown, ban?: unknown,
 *   raw?: boolean}} [opt]
 * @returns {Promise<string | {m: unknown, s: string} | undefined>} `'SEA{"m","s"}'` (the object
 *   with `{raw: true}`), or undefined without certificants or policy
 */
export async function certify(certificants, policy, authority, cb, opt = {}) {
  const c = certificantsOf(certificants);
  /** @type {any} */
  const p = policy || {};
  const expiry = typeof opt.expiry === 'number' || typeof opt.expiry === 'string'
    ? parseFloat(String(opt.expiry)) : null;
  const readPolicy = p.read ? p.read : null;
  const writePolicy = p.write ? p.write : typeof p === 'string' || Array.isArray(p)
    || ['+', '#', '.', '=', '*', '>', '<'].some((k) => p[k]) ? p : null;
  /** @type {any} */
  const block = opt.block || opt.blacklist || opt.ban || {};
  const readBlock = block.read && (typeof block.read === 'string' || block.read['#'])
    ? block.read : null;
  const writeBlock = typeof block === 'string' ? block
    : block.write && (typeof block.write === 'string' || block.write['#']) ? block.write : null;
  let result;
  if (c && (readPolicy || writePolicy)) {
    const data = JSON.stringify({
      c,
      ...(expiry ? { e: expiry } : {}),
      ...(readPolicy ? { r: readPolicy } : {}),
      ...(writePolicy ? { w: writePolicy } : {}),
      ...(readBlock ? { rb: readBlock } : {}),
      ...(writeBlock ? { wb: writeBlock } : {}),
    });
    const signed = /** @type {{m: unknown, s: string}} */ (await sign(data, authority,
      { raw: true }));
    result = opt.raw ? signed : 'SEA' + JSON.stringify(signed);
  }
  if (cb) cb(result);
  return result;
}

/** The helpers under one name, as `Gun.SEA`. */
export const SEA = { pair, sign, verify, encrypt, decrypt, work, secret, certify };
