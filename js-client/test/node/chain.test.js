// The chain API against the relay under test (see ../harness.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Soulgraph } from '../../src/soulgraph.js';
import { startRelay, eventually, sleep } from '../harness.js';

let relay;
const clients = [];
const unique = (name) => `chain/${name}/${Math.random().toString(36).slice(2)}`;

function client(options = {}) {
  const db = new Soulgraph({ peers: [relay.ws], store: 'memory', ...options });
  clients.push(db);
  return db;
}

before(async () => { relay = await startRelay(); });
after(async () => {
  clients.forEach((db) => db.close());
  await relay.stop();
});

test('put_object_ackedAndReadByAnotherClient', { timeout: 20000 }, async () => {
  const soul = unique('basic');
  await client().get(soul).put({ name: 'alpha', num: 42, flag: true, gone: null });
  const node = await client().get(soul).once();
  assert.equal(node.name, 'alpha');
  assert.equal(node.num, 42);
  assert.equal(node.flag, true);
  assert.equal(node.gone, null);
  assert.equal(node._['#'], soul);
  assert.equal(typeof node._['>'].name, 'number');
});

test('put_nestedObject_becomesLinkedNodeWithPathSoul', { timeout: 20000 }, async () => {
  const soul = unique('nested');
  await client().get(soul).put({ profile: { name: 'Alice', address: { city: 'Oslo' } } });
  const reader = client();
  assert.deepEqual((await reader.get(soul).once()).profile, { '#': soul + '/profile' });
  assert.equal(await reader.get(soul).get('profile').get('address').get('city').once(), 'Oslo');
  assert.equal((await reader.get(soul + '/profile/address').once()).city, 'Oslo');
});

test('once_missingSoulOrField_resolvesUndefined', { timeout: 20000 }, async () => {
  const db = client();
  assert.equal(await db.get(unique('missing')).once(), undefined);
  const soul = unique('partial');
  await db.get(soul).put({ here: 1 });
  assert.equal(await client().get(soul).get('absent').once(), undefined);
});

test('put_fieldOnChain_writesIntoParentNode', { timeout: 20000 }, async () => {
  const soul = unique('field');
  const db = client();
  await db.get(soul).get('title').put('first');
  await db.get(soul).get('title').put('second');
  assert.equal(await client().get(soul).get('title').once(), 'second');
});

test('put_chainReference_storesLinkFollowedOnRead', { timeout: 20000 }, async () => {
  const db = client();
  const target = db.get(unique('target'));
  await target.put({ title: 'linked' });
  const holder = unique('holder');
  await db.get(holder).get('x').put(target);
  const reader = client();
  assert.deepEqual((await reader.get(holder).once()).x, { '#': target.path[0] });
  assert.equal(await reader.get(holder).get('x').get('title').once(), 'linked');
});

test('put_underLinkUnknownLocally_followsRelaysLinkInsteadOfOverwritingIt', { timeout: 20000 },
  async () => {
    const holder = unique('holder2');
    const target = unique('target2');
    const writer = client();
    await writer.get(target).put({ title: 'original' });
    await writer.get(holder).get('x').put(writer.get(target));
    const fresh = client();
    await fresh.get(holder).get('x').get('title').put('changed');
    const reader = client();
    assert.equal(await reader.get(target).get('title').once(), 'changed');
    assert.deepEqual(await reader.get(holder).get('x').once().then((n) => n._['#']), target);
  });

test('put_invalidValue_rejectsWithClearError', async () => {
  const db = client();
  await assert.rejects(db.get(unique('bad')).put({ list: [1, 2] }), /Expected .* an array/);
  await assert.rejects(db.get(unique('bad')).put({ n: NaN }), /Expected .* NaN/);
  await assert.rejects(db.get(unique('bad')).put('text'), /Expected an object/);
});

test('setAndMap_itemsFromOneClient_listedByAnother', { timeout: 20000 }, async () => {
  const list = unique('list');
  const writer = client();
  const first = await writer.get(list).set({ label: 'one' });
  await writer.get(list).set({ label: 'two' });
  const items = await client().get(list).map().once();
  assert.deepEqual(Object.values(items).map((item) => item.label).sort(), ['one', 'two']);
  assert.ok(Object.hasOwn(items, first.path[0]));
});

test('on_remoteWrites_deliveredLiveUntilUnsubscribed', { timeout: 20000 }, async () => {
  const soul = unique('live');
  const writer = client();
  await writer.get(soul).put({ v: 'a' });
  const seen = [];
  const stop = client().get(soul).get('v').on((value) => seen.push(value));
  await eventually(() => seen.includes('a'), 'the first value');
  await writer.get(soul).get('v').put('b');
  await eventually(() => seen.includes('b'), 'the live update');
  stop();
  await writer.get(soul).get('v').put('c');
  await sleep(300);
  assert.deepEqual(seen, ['a', 'b']);
});

test('off_stopsEveryListenerOfTheChain', { timeout: 20000 }, async () => {
  const soul = unique('off');
  const db = client();
  const chain = db.get(soul).get('v');
  const seen = [];
  chain.on((value) => seen.push(value));
  await db.get(soul).put({ v: 1 });
  await eventually(() => seen.length === 1, 'the first value');
  chain.off();
  await db.get(soul).put({ v: 2 });
  await sleep(100);
  assert.deepEqual(seen, [1]);
});

test('mapOn_itemsAddedAndChangedRemotely_delivered', { timeout: 20000 }, async () => {
  const list = unique('maplive');
  const reader = client();
  const seen = new Map();
  reader.get(list).map().on((item, key) => seen.set(key, item && item.label));
  const writer = client();
  const item = await writer.get(list).set({ label: 'x' });
  await eventually(() => seen.get(item.path[0]) === 'x', 'the new item');
  await item.get('label').put('y');
  await eventually(() => seen.get(item.path[0]) === 'y', 'the changed item');
});

test('put_writeVisibleLocallyBeforeAck', { timeout: 20000 }, async () => {
  const soul = unique('local');
  const db = client();
  const acked = db.get(soul).put({ v: 'now' });
  await db.ready;
  await sleep(0);
  assert.equal(db.node(soul)?.v, 'now');
  await acked;
});

test('put_afterSeeingValueOfSameMillisecond_stampsAboveItAndWins', { timeout: 20000 }, async () => {
  // Both writers' clocks stand still at the same millisecond: without causal stamping the second
  // write would tie on state and lose on text ("aaa" < "zzz").
  const frozen = Date.now() - 1000;
  const soul = unique('causal');
  await client({ now: () => frozen }).get(soul).put({ v: 'zzz' });
  const later = client({ now: () => frozen });
  assert.equal(await later.get(soul).get('v').once(), 'zzz');
  await later.get(soul).get('v').put('aaa');
  assert.equal(await client().get(soul).get('v').once(), 'aaa');
});
