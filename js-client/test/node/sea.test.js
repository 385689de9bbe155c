// Signed user space with software we did not write: gun 0.2020.1241 + gun/sea clients in Node
// against the relay under test, our SEA helpers against gun's, and accounts made by one client
// used by the other.
import { test, before, after } from 'node:test';
import { WebSocket } from 'ws';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Soulgraph } from '../../src/soulgraph.js';
import { SEA as ours, signText, parse } from '../../src/sea.js';
import { startRelay, startProxy, eventually, relayKind } from '../harness.js';

const require = createRequire(import.meta.url);
const Gun = require('gun');
require('gun/sea');
const theirs = Gun.SEA;

let relay;
const PASS = 'correct horse battery';
const alias = (name) => `${name}${Math.random().toString(36).slice(2, 10)}`;

function newGun() {
  return Gun({ peers: [relay.ws], axe: false, multicast: false, radisk: false,
    localStorage: false, rfs: false, stats: false, file: false });
}

/** gun's callback API as a promise; rejects on `err`. */
function gunCall(fn) {
  return new Promise((resolve, reject) => fn((ack) => (ack && ack.err
    ? reject(new Error(String(ack.err))) : resolve(ack))));
}

function gunOnce(chain) {
  return new Promise((resolve) => chain.once((value) => resolve(value)));
}

/** A put through gun: resolves with its first ack, whatever it says. */
function gunPut(chain, value) {
  return new Promise((resolve) => chain.put(value, (ack) => resolve(ack)));
}

before(async () => {
  relay = await startRelay();
});

after(async () => {
  await relay.stop();
});

test('seaHelpers_oursAndGunsReadEachOther', { timeout: 60000 }, async () => {
  const ourPair = await ours.pair();
  const gunPair = await theirs.pair();
  for (const data of ['hello', 42, { a: 1, b: [true, null] }]) {
    assert.deepEqual(await theirs.verify(await ours.sign(data, ourPair), ourPair.pub), data);
    assert.deepEqual(await ours.verify(await theirs.sign(data, gunPair), gunPair.pub), data);
    assert.equal(await ours.verify(await theirs.sign(data, gunPair), ourPair.pub), undefined);
    assert.deepEqual(await theirs.decrypt(await ours.encrypt(data, ourPair), ourPair), data);
    assert.deepEqual(await ours.decrypt(await theirs.encrypt(data, gunPair), gunPair), data);
  }
  assert.equal(await ours.decrypt(await theirs.encrypt('x', gunPair), ourPair), undefined);
  assert.equal(await ours.work('pw', 'salt'), await theirs.work('pw', 'salt'));
  assert.equal(await ours.work('text', null, { name: 'SHA-256' }),
    await theirs.work('text', null, null, { name: 'SHA-256' }));
  const ourSide = await ours.secret(gunPair.epub, ourPair);
  assert.equal(ourSide, await theirs.secret(ourPair.epub, gunPair));
  const sealed = await theirs.encrypt('between us', await theirs.secret(ourPair.epub, gunPair));
  assert.equal(await ours.decrypt(sealed, ourSide), 'between us');
});

test('gunClients_createAuthPutReadOnAndUserPub_allAccepted', { timeout: 60000 }, async () => {
  const a = newGun();
  const b = newGun();
  const name = alias('alice');
  const created = await gunCall((cb) => a.user().create(name, PASS, cb));
  const pub = created.pub;
  await gunCall((cb) => a.user().auth(name, PASS, cb));
  const acks = [];
  acks.push(await gunPut(a.user().get('profile'), { name: 'Alice', n: 42 }));
  acks.push(await gunPut(a.user().get('says'), 'hello world'));
  assert.deepEqual(acks.filter((ack) => ack.err), [], 'every signed put acked');

  assert.equal(await gunOnce(b.user(pub).get('profile').get('name')), 'Alice');
  assert.equal(await gunOnce(b.get('~' + pub).get('says')), 'hello world');
  const seen = [];
  b.user(pub).get('says').on((value) => seen.push(value));
  await eventually(() => seen.includes('hello world'), 'the current value');
  assert.equal((await gunPut(a.user().get('says'), 'second')).err, undefined);
  await eventually(() => seen.includes('second'), 'b to see the live update');

  const other = newGun();
  await gunCall((cb) => other.user().auth(name, PASS, cb));
  assert.equal(other.user().is.pub, pub, 'a second gun client signs in to the account');
});

test('forgedWritesToAUsersSpace_refusedAndNeverServed', { timeout: 60000 }, async () => {
  const owner = newGun();
  const name = alias('bob');
  const { pub } = await gunCall((cb) => owner.user().create(name, PASS, cb));
  await gunCall((cb) => owner.user().auth(name, PASS, cb));
  await gunPut(owner.user().get('status'), 'genuine');

  // the relay, sent raw frames (gun's own client refuses to send these)
  const ws = new WebSocket(relay.ws);
  const replies = [];
  ws.on('message', (data) => [JSON.parse(String(data))].flat().forEach((m) => replies.push(m)));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const soul = '~' + pub;
  const state = Date.now();
  const frame = (id, field, value) => JSON.stringify({ '#': id, put: { [soul]: {
    _: { '#': soul, '>': { [field]: state } }, [field]: value } } });
  ws.send(frame('forged-unsigned', 'status', 'forged'));
  ws.send(frame('forged-pub', 'pub', 'someone.else'));
  ws.send(frame('forged-sig', 'status', JSON.stringify({ ':': 'forged', '~': 'A'.repeat(86) + '==' })));
  const errOf = async (id) => (await eventually(() => replies.find((m) => m['@'] === id),
    'the relay to answer ' + id)).err;
  assert.equal(await errOf('forged-unsigned'), 'Unverified data.');
  assert.equal(await errOf('forged-pub'), 'Account not same!');
  assert.equal(await errOf('forged-sig'), 'Unverified data.');
  ws.close();

  const db = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  try {
    // our client refuses locally, as gun's does, so the forgery never even enters its replica
    await assert.rejects(db.get('~' + pub).put({ status: 'forged' }), /Unverified data/);
    if (relayKind === 'soulgraph') { // GunDB's relay lets a second key join an alias (gun #1193)
      const intruder = db.user();
      await intruder.create(alias('mallory'), PASS);
      const hijacker = '~' + intruder.is?.pub;
      await eventually(() => db.queued === 0, 'the intruder account to be acked');
      await assert.rejects(db.get('~@' + name).put({ [hijacker]: { '#': hijacker } }),
        /Alias already taken/);
    }
    const reader = newGun();
    assert.equal(await gunOnce(reader.user(pub).get('status')), 'genuine');
    const fresh = new Soulgraph({ peers: [relay.ws], store: 'memory' });
    assert.equal(await fresh.user(pub).get('status').once(), 'genuine');
    fresh.close();
  } finally {
    db.close();
  }
});

test('accountFromOurClient_authenticatesInGun_andGunsSignedValuesVerifyHere', {
  timeout: 60000,
}, async () => {
  const db = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  try {
    const name = alias('carol');
    const { pub } = await db.user().create(name, PASS);
    await db.user().auth(name, PASS);
    await db.user().get('profile').put({ city: 'Oslo', age: 33 });

    const gun = newGun();
    await gunCall((cb) => gun.user().auth(name, PASS, cb));
    assert.equal(gun.user().is.pub, pub, 'gun signs in to the account our client created');
    assert.equal(await gunOnce(gun.user().get('profile').get('city')), 'Oslo');
    assert.equal((await gunPut(gun.user().get('profile').get('city'), 'Bergen')).err, undefined);

    const seen = [];
    db.user(pub).get('profile').get('city').on((value) => seen.push(value));
    await eventually(() => seen.includes('Bergen'), 'our client to verify gun\'s signed value');
  } finally {
    db.close();
  }
});

test('accountFromGun_authenticatesInOurClient_andOurSignedValuesVerifyInGun', {
  timeout: 60000,
}, async () => {
  const gun = newGun();
  const name = alias('dave');
  const { pub } = await gunCall((cb) => gun.user().create(name, PASS, cb));
  const db = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  try {
    // gun calls back before its writes reached the relay ("ok: 0"): wait until they did
    await eventually(() => db.user().auth(name, PASS).then(() => true, () => false),
      'our client to sign in to the account gun created');
    db.user().leave();
    await assert.rejects(db.user().auth(name, 'wrong password'), /Wrong user or password/);
    const is = await db.user().auth(name, PASS);
    assert.equal(is.pub, pub);
    await db.user().get('says').put('signed by soulgraph');
    const reader = newGun();
    assert.equal(await gunOnce(reader.user(pub).get('says')), 'signed by soulgraph');
    const mine = db.user().keys();
    assert.ok(mine);
    const sealed = await ours.encrypt('for me', mine);
    assert.equal(await theirs.decrypt(sealed, gun.user()._.sea), 'for me');
  } finally {
    db.close();
  }
});

test('offline_accountCreatedAndWrittenOffline_syncsLater', { timeout: 60000 }, async () => {
  const proxy = await startProxy(relay.port);
  proxy.cut();
  const db = new Soulgraph({ peers: [proxy.ws], store: 'memory', getTimeout: 500 });
  try {
    const name = alias('erin');
    const { pub } = await db.user().create(name, PASS);
    db.user().leave();
    await db.user().auth(name, PASS);
    const write = db.user().get('note').put('written offline');
    write.catch(() => {});
    await eventually(async () => (await db.user(pub).get('note').once()) === 'written offline',
      'the signed write to be readable locally while offline');
    proxy.restore();
    const gun = newGun();
    await eventually(async () => (await gunOnce(gun.user(pub).get('note'))) === 'written offline',
      'the offline write to reach the relay', 30000);
    await gunCall((cb) => gun.user().auth(name, PASS, cb));
  } finally {
    db.close();
    await proxy.close();
  }
});

/** Signs in a fresh gun client to a new account; resolves with the gun instance and its pair. */
async function gunAccount(name) {
  const gun = newGun();
  await gunCall((cb) => gun.user().create(name, PASS, cb));
  await gunCall((cb) => gun.user().auth(name, PASS, cb));
  return { gun, pair: gun.user()._.sea };
}

/** A raw socket to the relay: send frames, await the answer to an id. */
async function rawSocket() {
  const ws = new WebSocket(relay.ws);
  const replies = [];
  ws.on('message', (data) => [JSON.parse(String(data))].flat().forEach((m) => replies.push(m)));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return {
    put: (id, soul, key, value, state) => ws.send(JSON.stringify({ '#': id, put: { [soul]: {
      _: { '#': soul, '>': { [key]: state } }, [key]: value } } })),
    answer: (id) => eventually(() => replies.find((m) => m['@'] === id), 'an answer to ' + id),
    close: () => ws.close(),
  };
}

test('certificates_gunCertifiesOurClientWrites_andOursCertifiesGunsWrites', {
  timeout: 90000,
}, async () => {
  // alice (gun) lets our client's bob write his own entries in her inbox
  const { gun: aliceGun, pair: alice } = await gunAccount(alias('alice'));
  const db = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  try {
    const { pub: bobPub } = await db.user().create(alias('bob'), PASS);
    const cert = await theirs.certify(bobPub, { '*': 'inbox', '+': '*' }, alice);
    const inbox = db.get('~' + alice.pub).get('inbox');
    await inbox.get(bobPub).put('hello from bob', { cert });
    await assert.rejects(inbox.get('someone-else').put('impersonation', { cert }),
      /must contain string/, 'our client refuses, locally, what the certificate does not cover');
    await assert.rejects(db.get('~' + alice.pub).get('profile').put('x', { cert }),
      /Certificate verification fail/);
    const reader = newGun();
    assert.equal(await gunOnce(reader.get('~' + alice.pub).get('inbox').get(bobPub)),
      'hello from bob', 'gun verifies our certified write');
    const fresh = new Soulgraph({ peers: [relay.ws], store: 'memory' });
    assert.equal(await fresh.get('~' + alice.pub).get('inbox').get(bobPub).once(),
      'hello from bob', 'our client verifies it on read');
    fresh.close();
    aliceGun.user().leave();

    // our client's carol lets gun's dave write under her `shared` path, until an expiry
    const carol = db.user();
    carol.leave();
    const { pub: carolPub } = await carol.create(alias('carol'), PASS);
    const { gun: daveGun, pair: dave } = await gunAccount(alias('dave'));
    const daveCert = await ours.certify(dave.pub, { '*': 'shared' }, /** @type {any} */ (carol.keys()),
      null, { expiry: Date.now() + 60000 });
    const ack = await new Promise((resolve) => daveGun.get('~' + carolPub).get('shared')
      .get('note').put('written by dave', resolve, { opt: { cert: daveCert } }));
    assert.equal(ack.err, undefined, 'the relay accepts gun\'s certified write: ' + ack.err);
    const seen = new Soulgraph({ peers: [relay.ws], store: 'memory' });
    assert.equal(await seen.get('~' + carolPub).get('shared').get('note').once(),
      'written by dave');
    seen.close();
  } finally {
    db.close();
  }
});

test('certificates_forgedExpiredOutOfScopeOrMissing_refusedByTheRelay', {
  timeout: 60000,
}, async () => {
  const alice = await ours.pair();
  const bob = await ours.pair();
  const raw = await rawSocket();
  try {
    const state = Date.now();
    const soul = `~${alice.pub}/inbox`;
    const write = async (id, key, cert, writer = bob, value = 'x') => {
      const signature = await signText(JSON.stringify({ '#': soul, '.': key, ':': value,
        '>': state }), writer);
      const envelope = { ':': value, '~': signature, '*': writer.pub };
      if (cert !== undefined) envelope['+'] = parse(cert);
      raw.put(id, soul, key, JSON.stringify(envelope), state);
      return (await raw.answer(id)).err;
    };
    const good = await ours.certify(bob.pub, 'inbox/mail', alice);
    assert.equal(await write('cert-ok', 'mail', good), undefined);
    assert.equal(await write('cert-scope', 'other', good), 'Certificate verification fail.');
    assert.equal(await write('cert-self', 'mail', await ours.certify(bob.pub, 'inbox/mail', bob)),
      'Certificate verification fail.', 'a certificate bob signed himself');
    assert.equal(await write('cert-missing', 'mail', undefined), 'Certificate verification fail.',
      'a "*" writer without a certificate (GunDB accepts this)');
    const expired = await ours.certify(bob.pub, 'inbox/mail', alice, null, { expiry: state - 1 });
    assert.equal(await write('cert-expired', 'mail', expired), 'Certificate expired.');
    const other = await ours.pair();
    assert.equal(await write('cert-other', 'mail', good, other), 'Certificate verification fail.',
      'bob\'s certificate used by another key');
    const fresh = new Soulgraph({ peers: [relay.ws], store: 'memory' });
    assert.equal(await fresh.get(soul).get('other').once(), undefined);
    fresh.close();
  } finally {
    raw.close();
  }
});

test('passwordChange_byEitherClient_signsInWithTheNewPasswordInBoth', { timeout: 120000 }, async () => {
  const NEW = 'a brand new passphrase';
  const db = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  try {
    const ourName = alias('frank');
    const { pub } = await db.user().create(ourName, PASS);
    await assert.rejects(db.user().auth(ourName, PASS, { change: 'short' }), /Password too short/);
    await db.user().auth(ourName, PASS, { change: NEW });
    db.user().leave();
    await assert.rejects(db.user().auth(ourName, PASS), /Wrong user or password/);
    assert.equal((await db.user().auth(ourName, NEW)).pub, pub);
    db.user().leave();
    const gun = newGun();
    await gunCall((cb) => gun.user().auth(ourName, NEW, cb));
    assert.equal(gun.user().is.pub, pub, 'gun signs in with the password our client set');

    const gunName = alias('grace');
    const { gun: owner, pair } = await gunAccount(gunName);
    await gunCall((cb) => owner.user().auth(gunName, PASS, cb, { change: NEW }));
    await eventually(() => db.user().auth(gunName, NEW).then(() => true, () => false),
      'our client to sign in with the password gun set');
    assert.equal(db.user().is?.pub, pair.pub);
    db.user().leave();
    await assert.rejects(db.user().auth(gunName, PASS), /Wrong user or password/);
  } finally {
    db.close();
  }
});

test('deleteAccount_byOurClient_noPasswordSignsInAgain_inEitherClient', { timeout: 120000 }, async () => {
  const db = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  try {
    const ourName = alias('heidi');
    const { pub } = await db.user().create(ourName, PASS);
    await db.user().get('profile').put({ name: 'Heidi' });
    await assert.rejects(db.user().delete(ourName, 'wrong password'), /Wrong user or password/);
    await db.user().delete(ourName, PASS);
    assert.equal(db.user().is, undefined, 'signed out');
    await assert.rejects(db.user().auth(ourName, PASS), /Wrong user or password/);
    const reader = new Soulgraph({ peers: [relay.ws], store: 'memory' });
    assert.equal(await reader.get('~' + pub).get('auth').once(), '{}', 'auth gone at the relay');
    assert.equal(await reader.get('~' + pub).get('epub').once(), null);
    assert.equal(await reader.get('~' + pub).get('pub').once(), pub, 'pub stays (GunDB\'s rule)');
    reader.close();
    await assert.rejects(db.user().create(ourName, PASS), /User already created/);

    const gun = newGun();
    const ack = await new Promise((resolve) => gun.user().auth(ourName, PASS, resolve));
    assert.equal(ack.err, 'Wrong user or password.', 'gun cannot sign in to the deleted account');
  } finally {
    db.close();
  }
});

test('certificate_blockList_writerTheOwnerBlocked_refusedByTheRelayUntilUnblocked', {
  timeout: 60000,
}, async () => {
  const db = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  const raw = await rawSocket();
  try {
    const { pub: alicePub } = await db.user().create(alias('alice'), PASS);
    const bob = await ours.pair();
    const cert = parse(await ours.certify(bob.pub, { '*': 'inbox' }, /** @type {any} */ (
      db.user().keys()), null, { block: 'block' }));
    const soul = `~${alicePub}/inbox`;
    let n = 0;
    const write = async () => {
      const state = Date.now();
      const id = 'blocked' + n++;
      const signature = await signText(JSON.stringify({ '#': soul, '.': 'note', ':': 'hi',
        '>': state }), bob);
      raw.put(id, soul, 'note', JSON.stringify({ ':': 'hi', '~': signature, '+': cert,
        '*': bob.pub }), state);
      return (await raw.answer(id)).err;
    };
    assert.equal(await write(), undefined, 'no block list yet');
    await db.user().get('block').get(bob.pub).put(true); // ~alice.block -> ~alice/block
    assert.equal(await write(), `Certificant ${bob.pub} blocked.`);
    await db.user().get('block').get(bob.pub).put(false);
    assert.equal(await write(), undefined, 'unblocked');
  } finally {
    raw.close();
    db.close();
  }
});
