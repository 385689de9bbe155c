/**
 * GunDB's user accounts on Soulgraph: `db.user()` creates and signs in accounts whose data lives
 * in `~<pub>` souls, every field signed with SEA exactly as gun's `sea.js` signs it, so gun
 * clients, GunDB relays and the Soulgraph relay all verify it; `db.user(pub)` reads another
 * user's space. Reads of user space show only values whose signature verifies.
 *
 * ```js
 * const user = db.user();
 * await user.create('alice', 'a long passphrase');
 * await user.auth('alice', 'a long passphrase');
 * await user.get('profile').put({ name: 'Alice' });   // signed field by field
 * db.user(user.is.pub).get('profile').get('name').on((name) => …);
 * ```
 * @module user
 */
import {
  pair as newPair, work, encrypt, decrypt, signText, verifyText, parse,
} from './sea.js';
import { certificateError, CERTIFICATE_FAIL } from './certificate.js';
import { Chain } from './chain.js';
import { isLink } from './ham.js';

/** @typedef {import('./sea.js').Pair} Pair */
/** @typedef {import('./soulgraph.js').Soulgraph} Soulgraph */
/** @typedef {import('./graph.js').WireNode} WireNode */
/** @typedef {import('./ham.js').FieldValue} FieldValue */

/**
 * Signs the fields of a write (in `pub`'s space, or with `cert` in another user's) once they are
 * stamped with their state.
 * @typedef {{pub: string, cert?: unknown, sign: (soul: string, key: string, value: FieldValue,
 *   state: number) => Promise<FieldValue>}} FieldSigner
 */

const KEY_PART = /[^\w_-]/;
/** Verified fields remembered; past this the memo starts over (re-verifying is only slower). */
const MAX_CHECKED = 50000;
const ALIAS_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The pub owning a soul, by SEA's rule (`~X.Y`, `~X.Y/profile`, `posts~X.Y`), or undefined.
 * Alias lists (`~@…`) are nobody's: SEA checks them by their own rule before this one.
 * @param {string} soul @returns {string | undefined}
 */
export function ownerOf(soul) {
  if (soul.startsWith('~@')) return undefined;
  const afterTilde = soul.split('~')[1];
  if (!afterTilde) return undefined;
  const parts = afterTilde.split(KEY_PART).slice(0, 2);
  if (parts.length !== 2 || parts[0].startsWith('@')) return undefined;
  return parts.join('.');
}

/** @param {string} soul @param {string} key @param {string} owner */
function isAccountPub(soul, key, owner) {
  return key === 'pub' && soul === '~' + owner;
}

/**
 * The text SEA signs for a field: `JSON.stringify({'#': soul, '.': key, ':': value, '>': state})`.
 * @param {string} soul @param {string} key @param {FieldValue} value @param {number} state
 */
export function signedText(soul, key, value, state) {
  return JSON.stringify({ '#': soul, '.': key, ':': value, '>': state });
}

/**
 * A field signer for a pair: fields of souls the pair owns become `{":": value, "~": sig}`
 * strings (the account's `pub` stays plain); with a certificate, fields of other users' souls
 * become `{":": value, "~": sig, "+": certificate, "*": pub}` once the certificate is found to
 * cover them (else the write rejects before anything is written, as in gun's client); souls
 * outside user space are written as they are.
 * @param {Pair} keys @param {SignedView} view remembers our own signatures as verified
 * @param {unknown} [cert] a certificate from `SEA.certify` (`'SEA{…}'` or `{m, s}`)
 * @returns {FieldSigner}
 */
export function fieldSigner(keys, view, cert) {
  const certificate = cert === undefined ? undefined : parse(cert);
  return {
    pub: keys.pub,
    cert: certificate,
    async sign(soul, key, value, state) {
      const owner = ownerOf(soul);
      if (!owner || isAccountPub(soul, key, owner)) {
        return value;
      }
      /** @type {Record<string, unknown>} */
      const envelope = { ':': value, '~': await signText(signedText(soul, key, value, state), keys) };
      if (owner !== keys.pub) {
        const error = await certificateError(certificate, keys.pub, owner, soul, key, value, state);
        if (error) {
          throw new Error(`${error}: the certificate does not let ${keys.pub} write '${key}' on `
            + `'${soul}'`);
        }
        envelope['+'] = certificate;
        envelope['*'] = keys.pub;
      }
      const text = JSON.stringify(envelope);
      view.remember(soul, key, state, text, value);
      return text;
    },
  };
}

/**
 * Refuses, before anything is written, fields in a user's space the writer cannot sign: the
 * relay would refuse them too, and merged locally they would hide the owner's real values.
 * @param {Record<string, Record<string, FieldValue>>} fields @param {FieldSigner} [signer]
 */
export function requireSignable(fields, signer) {
  for (const soul of Object.keys(fields)) {
    const owner = ownerOf(soul);
    if (owner && owner !== signer?.pub && !signer?.cert) {
      throw new Error(`Unverified data.: '${soul}' is in the user space of ${owner}; `
        + 'only that user, signed in, or a user with its certificate (put(value, {cert})) can '
        + 'write it');
    }
  }
}

/**
 * User space as the chain sees it: each signed field unpacked to its value once its signature by
 * the soul's owner verifies; unsigned, forged or not-yet-verified fields are left out. Verification
 * is asynchronous (WebCrypto): when a pending one finishes, `onVerified(soul)` lets readers look
 * again, and {@link settled} waits for all pending ones.
 */
export class SignedView {
  /** @param {(soul: string) => void} onVerified */
  constructor(onVerified) {
    /** @private */ this.onVerified = onVerified;
    /** @type {Map<string, {ok: boolean, value?: FieldValue}>} @private */ this.checked = new Map();
    /** @type {Map<string, Promise<void>>} @private */ this.pending = new Map();
  }

  /**
   * The node with signed fields unpacked and unverified ones removed.
   * @param {WireNode} node @param {string} owner @returns {WireNode}
   */
  view(node, owner) {
    const soul = node._['#'];
    /** @type {WireNode} */
    const out = { _: { '#': soul, '>': {} } };
    for (const key of Object.keys(node)) {
      if (key === '_') continue;
      const value = node[key];
      const state = node._['>'][key];
      if (isAccountPub(soul, key, owner)) {
        if (value === owner) {
          out[key] = value;
          out._['>'][key] = state;
        }
        continue;
      }
      if (typeof value !== 'string') continue;
      const id = cacheKey(soul, key, state, value);
      const result = this.checked.get(id);
      if (result) {
        if (result.ok) {
          out[key] = /** @type {FieldValue} */ (result.value);
          out._['>'][key] = state;
        }
      } else {
        this.check(id, soul, key, state, value, owner);
      }
    }
    return out;
  }

  /** Resolves once every verification started so far has finished. */
  async settled() {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending.values()]);
    }
  }

  /**
   * Records a field we signed ourselves as verified.
   * @param {string} soul @param {string} key @param {number} state @param {string} envelope
   * @param {FieldValue} value
   */
  remember(soul, key, state, envelope, value) {
    if (this.checked.size >= MAX_CHECKED) this.checked.clear();
    this.checked.set(cacheKey(soul, key, state, envelope), { ok: true, value });
  }

  /**
   * @private @param {string} id @param {string} soul @param {string} key @param {number} state
   * @param {string} envelope @param {string} owner
   */
  check(id, soul, key, state, envelope, owner) {
    if (this.pending.has(id)) return;
    const run = unpack(soul, key, state, envelope, owner).then((result) => {
      if (this.checked.size >= MAX_CHECKED) this.checked.clear();
      this.checked.set(id, result);
      this.pending.delete(id);
      if (result.ok) this.onVerified(soul);
    });
    this.pending.set(id, run);
  }
}

/** @param {string} soul @param {string} key @param {number} state @param {string} value */
function cacheKey(soul, key, state, value) {
  return `${soul}\u0000${key}\u0000${state}\u0000${value}`;
}

/**
 * Verifies one envelope: `{":": value, "~": signature}` signed by `owner` over SEA's text, or
 * signed by the pub in `"*"` under a certificate `"+"` of the owner's that covers the field.
 * @param {string} soul @param {string} key @param {number} state @param {string} envelope
 * @param {string} owner @returns {Promise<{ok: boolean, value?: FieldValue}>}
 */
async function unpack(soul, key, state, envelope, owner) {
  let parsed;
  try {
    parsed = JSON.parse(envelope);
  } catch {
    return { ok: false };
  }
  if (!parsed || typeof parsed !== 'object' || !Object.hasOwn(parsed, ':')
    || typeof parsed['~'] !== 'string') {
    return { ok: false };
  }
  const writer = parsed['*'] === undefined ? owner : parsed['*'];
  if (typeof writer !== 'string') return { ok: false };
  const value = parsed[':'];
  if (!await verifyText(signedText(soul, key, value, state), parsed['~'], writer)) {
    return { ok: false };
  }
  if (writer !== owner || parsed['+'] !== undefined && parsed['*'] !== undefined) {
    const error = parsed['+'] === undefined ? CERTIFICATE_FAIL
      : await certificateError(parsed['+'], writer, owner, soul, key, value, state);
    if (error) return { ok: false };
  }
  return { ok: true, value };
}

/**
 * The account's `auth` text: the private keys AES-GCM-encrypted with a PBKDF2 proof of the
 * password under a new random salt, `JSON.stringify({ek, s})` as gun writes it.
 * @param {Pair} keys @param {string} pass @returns {Promise<string>}
 */
async function sealedKeys(keys, pass) {
  const salt = randomSalt();
  const ek = await encrypt({ priv: keys.priv, epriv: keys.epriv }, await work(pass, salt),
    { raw: true });
  return JSON.stringify({ ek, s: salt });
}

/** @returns {string} 64 random alphanumerics, like gun's `String.random(64)` */
function randomSalt() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(64));
  return Array.from(bytes, (b) => ALIAS_CHARS[b % ALIAS_CHARS.length]).join('');
}

/** @returns {Storage | undefined} */
function sessionStore() {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * The signed-in user of a Soulgraph instance (one per instance, as in GunDB).
 */
export class User {
  /** @param {Soulgraph} db @param {SignedView} view */
  constructor(db, view) {
    /** @private */ this.db = db;
    /** @private */ this.view = view;
    /** @type {Pair | undefined} @private */ this.pair = undefined;
    /** Who is signed in, or undefined. @type {{pub: string, epub: string, alias: string} | undefined} */
    this.is = undefined;
  }

  /** The signed-in user's keys (for SEA helpers), or undefined. @returns {Pair | undefined} */
  keys() {
    return this.pair;
  }

  /**
   * Creates an account: a new pair, its private keys encrypted with a PBKDF2 proof of the
   * password, written to `~<pub>` (signed) and listed under `~@<alias>`. Works offline; the
   * writes sync when a relay is reached. Signs in.
   * @param {string} alias @param {string} pass at least 8 characters
   * @returns {Promise<{pub: string}>} rejects if the alias is taken or the password too short
   */
  async create(alias, pass) {
    if (!alias) throw new Error('No user.');
    if ((pass || '').length < 8) throw new Error('Password too short!');
    if ((await this.pubsOf(alias)).length > 0) throw new Error('User already created!');
    const keys = await newPair();
    const account = '~' + keys.pub;
    const auth = await sealedKeys(keys, pass);
    this.signIn(keys, alias);
    const local = await Promise.all([
      this.db.writeLocally({
        [account]: { pub: keys.pub, alias, epub: keys.epub, auth },
      }, this.signer()),
      this.db.writeLocally({ ['~@' + alias]: { [account]: { '#': account } } }),
    ]);
    const written = Promise.all(local.map((write) => write.acked));
    if (this.db.online) {
      await written; // a relay's refusal (alias taken meanwhile) surfaces here
    } else {
      written.catch(() => {}); // offline: the account works locally and syncs later
    }
    return { pub: keys.pub };
  }

  /**
   * Signs in with alias and password (or with a pair). Reads `~@<alias>`, then each listed
   * account's signed `auth`, and decrypts the private keys with the password's proof.
   * With `{change: newPass}` (as gun's `auth(alias, pass, cb, {change})`), then re-encrypts the
   * private keys with a proof of the new password under a new salt and writes the account's
   * `auth` (signed): from then on only the new password signs in, here and in gun clients.
   * @param {string | Pair} aliasOrPair @param {string} [pass]
   * @param {{remember?: boolean, change?: string}} [opt] `remember` keeps the pair in
   *   sessionStorage for `recall`
   * @returns {Promise<{pub: string, epub: string, alias: string}>} rejects on a wrong password,
   *   or if the new password is shorter than 8 characters (nothing changed then)
   */
  async auth(aliasOrPair, pass, opt = {}) {
    if (opt.change !== undefined && opt.change.length < 8) {
      throw new Error('Password too short!');
    }
    if (typeof aliasOrPair === 'object' && aliasOrPair.priv && aliasOrPair.epriv) {
      const account = await this.accountOf(aliasOrPair.pub);
      this.signIn(aliasOrPair, typeof account?.alias === 'string' ? account.alias : aliasOrPair.pub);
    } else {
      const alias = /** @type {string} */ (aliasOrPair);
      let found;
      for (const pub of await this.pubsOf(alias)) {
        found = await this.unlock(pub, pass || '');
        if (found) break;
      }
      if (!found) throw new Error('Wrong user or password.');
      this.signIn(found, alias);
    }
    const store = sessionStore();
    if (opt.remember && store && this.pair) {
      store.setItem('recall', 'true');
      store.setItem('pair', JSON.stringify(this.pair));
    }
    if (opt.change !== undefined) {
      await this.put({ auth: await sealedKeys(/** @type {Pair} */ (this.pair), opt.change) });
    }
    return /** @type {{pub: string, epub: string, alias: string}} */ (this.is);
  }

  /**
   * Deletes the account, as gun's `user.delete(alias, pass)` means to: signs in, overwrites every
   * field of `~<pub>` but `pub` (signed), and signs out, so that no password signs in again, here
   * or in gun clients. `auth` becomes `'{}'` rather than gun's `null`: gun 0.2020.1241's `auth`
   * throws on a null `auth` instead of answering `Wrong user or password.` (its own `delete`
   * never gets that far: it signs out before its nulls are signed, and relays refuse them). The
   * alias stays listed under `~@<alias>` (alias lists only grow, in GunDB too), so it cannot be
   * created again; data under other souls of the account (`~<pub>/…`) stays, unreachable from
   * the account node.
   * @param {string} alias @param {string} pass
   * @returns {Promise<void>} rejects on a wrong password (nothing deleted)
   */
  async delete(alias, pass) {
    const { pub } = await this.auth(alias, pass);
    const account = await this.accountOf(pub);
    /** @type {Record<string, string | null>} */
    const cleared = {};
    for (const key of Object.keys(account || {})) {
      if (key !== '_' && key !== 'pub') cleared[key] = null;
    }
    Object.assign(cleared, { alias: null, epub: null, auth: '{}' });
    try {
      await this.put(cleared);
    } finally {
      this.leave();
    }
  }

  /**
   * Signs in again from the pair `auth(…, {remember: true})` kept in sessionStorage.
   * @param {{sessionStorage?: boolean}} [opt]
   * @returns {Promise<boolean>} whether a session was restored
   */
  async recall(opt = { sessionStorage: true }) {
    const store = sessionStore();
    const saved = opt.sessionStorage && store ? store.getItem('pair') : null;
    if (!saved) return false;
    await this.auth(JSON.parse(saved));
    return true;
  }

  /** Signs out and forgets the remembered session. @returns {User} */
  leave() {
    this.pair = undefined;
    this.is = undefined;
    const store = sessionStore();
    store?.removeItem('recall');
    store?.removeItem('pair');
    return this;
  }

  /**
   * The chain for a field of the signed-in user's space; its puts are signed.
   * @param {string} key @returns {Chain}
   */
  get(key) {
    if (!this.pair) throw new Error('Not signed in: call user.auth() or user.create() first');
    return new Chain(this.db, ['~' + this.pair.pub], this.signer()).get(key);
  }

  /**
   * Writes fields on the user's account node, signed.
   * @param {Record<string, unknown>} value @returns {Promise<void>}
   */
  put(value) {
    if (!this.pair) throw new Error('Not signed in: call user.auth() or user.create() first');
    return new Chain(this.db, ['~' + this.pair.pub], this.signer()).put(value);
  }

  /** @private @returns {FieldSigner} */
  signer() {
    return fieldSigner(/** @type {Pair} */ (this.pair), this.view);
  }

  /**
   * The signer for writes under another user's certificate (`put(value, {cert})`).
   * @param {unknown} cert @returns {FieldSigner} @internal
   */
  certifiedSigner(cert) {
    if (!this.pair) {
      throw new Error('Not signed in: a certificate is used by the user it names; call '
        + 'user.auth() first');
    }
    return fieldSigner(this.pair, this.view, cert);
  }

  /** @private @param {Pair} keys @param {string} alias */
  signIn(keys, alias) {
    this.pair = { pub: keys.pub, priv: keys.priv, epub: keys.epub, epriv: keys.epriv };
    this.is = { pub: keys.pub, epub: keys.epub, alias };
  }

  /** @private @param {string} alias @returns {Promise<string[]>} */
  async pubsOf(alias) {
    const list = await this.db.get('~@' + alias).once();
    if (!list || typeof list !== 'object' || isLink(list)) return [];
    return Object.keys(list).filter((key) => key !== '_' && ownerOf(key)
      && isLink(/** @type {any} */ (list)[key])).map((key) => /** @type {string} */ (ownerOf(key)));
  }

  /** @private @param {string} pub @returns {Promise<WireNode | undefined>} */
  async accountOf(pub) {
    const node = await this.db.get('~' + pub).once();
    return node && typeof node === 'object' && !isLink(node) ? /** @type {WireNode} */ (node)
      : undefined;
  }

  /** @private @param {string} pub @param {string} pass @returns {Promise<Pair | undefined>} */
  async unlock(pub, pass) {
    const account = await this.accountOf(pub);
    if (!account || typeof account.auth !== 'string' || typeof account.epub !== 'string') {
      return undefined;
    }
    let auth;
    try {
      auth = JSON.parse(account.auth);
    } catch {
      return undefined;
    }
    if (!auth || typeof auth !== 'object' || !auth.ek || typeof auth.s !== 'string') {
      return undefined; // a deleted account ('{}')
    }
    const proof = await work(pass, auth.s);
    const half = /** @type {any} */ (await decrypt(auth.ek, proof));
    if (!half || !half.priv || !half.epriv) return undefined;
    return { pub, epub: account.epub, priv: half.priv, epriv: half.epriv };
  }
}
