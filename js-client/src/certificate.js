/**
 * What a SEA certificate lets its certificants write, by gun 0.2020.1241's rules, as the relay
 * decides it (relay/sea's CertificatePolicy): the owner's signature on the certificate, the
 * certificants (`c`), the expiry (`e`, against the field's state) and the write policy (`w`).
 * Used before a certified write leaves this client and when one is read. Block lists (`wb`) are
 * left to the relay, which has the owner's data at hand.
 * @module certificate
 */
import { parse, verifyText } from './sea.js';

/** GunDB's error for a certificate that does not cover a write. */
export const CERTIFICATE_FAIL = 'Certificate verification fail.';

/** @param {unknown} v JavaScript truthiness, spelled out for the type checker */
function truthy(v) {
  return Boolean(v);
}

/**
 * gun's `String.match(text, lex)`: a string matches exactly; an object by `=` (exact), `*`
 * (prefix), `>`/`<` (range).
 * @param {string} text @param {any} lex @returns {boolean}
 */
export function matches(text, lex) {
  if (typeof lex === 'string') return text === lex;
  if (!lex || typeof lex !== 'object' || Array.isArray(lex)) return false;
  const first = lex['='] || lex['*'] || lex['>'] || lex['<'];
  if (typeof first === 'string' && text === first) return true;
  if (lex['='] !== undefined) return false;
  const start = lex['*'] || lex['>'];
  if (typeof start === 'string' && text.startsWith(start)) return true;
  if (lex['*'] !== undefined) return false;
  const above = typeof lex['>'] === 'string' && text >= lex['>'];
  const below = typeof lex['<'] === 'string' && text <= lex['<'];
  if (lex['>'] !== undefined && lex['<'] !== undefined) return above && below;
  return above || below;
}

/** @param {any} lex @param {string} name @returns {any} */
function member(lex, name) {
  return lex && typeof lex === 'object' && !Array.isArray(lex) ? lex[name] : undefined;
}

/** @param {any} lex @param {string} path @param {string} key */
function allows(lex, path, key) {
  const soulPart = member(lex, '#');
  const keyPart = member(lex, '.');
  return (matches(path, soulPart) && matches(key, keyPart))
    || (!truthy(keyPart) && matches(path, soulPart))
    || (!truthy(soulPart) && matches(key, keyPart))
    || matches(path ? path + '/' + key : key, truthy(soulPart) ? soulPart : lex);
}

/** @param {any} lex */
function requiresCertificantInPath(lex) {
  const plus = member(lex, '+');
  return (typeof plus === 'string' || Array.isArray(plus)) && plus.indexOf('*') > -1;
}

/** @param {any} c @param {string} certificant */
function names(c, certificant) {
  if (typeof c === 'string') return c === certificant || c.includes('*');
  return Array.isArray(c) && (c.includes('*') || c.includes(certificant));
}

/**
 * The error for `certificant`'s write of `value` at `soul`.`key`, `state`, under `cert`
 * (`{m, s}` or `'SEA{…}'`), in `owner`'s space; null if the certificate covers it.
 * @param {unknown} cert @param {string} certificant @param {string} owner @param {string} soul
 * @param {string} key @param {unknown} value @param {number} state
 * @returns {Promise<string | null>}
 */
export async function certificateError(cert, certificant, owner, soul, key, value, state) {
  const parsed = /** @type {any} */ (parse(cert));
  if (!parsed || typeof parsed !== 'object' || parsed.m === undefined
    || typeof parsed.s !== 'string') return CERTIFICATE_FAIL;
  const text = typeof parsed.m === 'string' ? parsed.m : JSON.stringify(parsed.m);
  if (!await verifyText(text, parsed.s, owner)) return CERTIFICATE_FAIL;
  return policyError(parse(parsed.m), certificant, soul, key, value, state);
}

/**
 * The certificate data's verdict (expiry, certificants, write policy) on a write, signatures
 * aside: null if it allows the write, else GunDB's error.
 * @param {any} data @param {string} certificant @param {string} soul @param {string} key
 * @param {unknown} value @param {number} state @returns {string | null}
 */
export function policyError(data, certificant, soul, key, value, state) {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return CERTIFICATE_FAIL;
  if (data.e !== undefined && data.e !== null) {
    if (typeof data.e !== 'number') return CERTIFICATE_FAIL;
    if (state > data.e) return 'Certificate expired.';
  }
  if (!names(data.c, certificant) || !truthy(data.w)) return CERTIFICATE_FAIL;
  const slash = soul.indexOf('/');
  const path = slash >= 0 ? soul.slice(slash + 1) : '';
  const policies = Array.isArray(data.w) ? data.w
    : typeof data.w === 'object' || typeof data.w === 'string' ? [data.w] : [];
  for (const lex of policies) {
    if (!allows(lex, path, key)) continue;
    if (requiresCertificantInPath(lex) && !path.includes(certificant)
      && !key.includes(certificant)) {
      const link = /** @type {any} */ (value);
      const downward = !path && link && typeof link === 'object'
        && Object.keys(link).length === 1 && link['#'] === soul + '/' + key;
      if (!downward) {
        return `Path "${path}" or key "${key}" must contain string "${certificant}".`;
      }
    }
    return null;
  }
  return CERTIFICATE_FAIL;
}
