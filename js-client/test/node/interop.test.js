// Interop: GunDB's own npm client (gun 0.2020.1241) and ours on the same relay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Soulgraph } from '../../src/soulgraph.js';
import { startRelay, eventually } from '../harness.js';

const require = createRequire(import.meta.url);
const Gun = require('gun');

let relay;
let gun;
let db;
const unique = (name) => `interop/${name}/${Math.random().toString(36).slice(2)}`;

function gunOnce(chain) {
  return new Promise((resolve) => chain.once((value) => resolve(value)));
}

before(async () => {
  relay = await startRelay();
  gun = Gun({ peers: [relay.ws], axe: false, multicast: false, radisk: false,
    localStorage: false, rfs: false, stats: false, file: false });
  db = new Soulgraph({ peers: [relay.ws], store: 'memory' });
});

after(async () => {
  db.close();
  await relay.stop();
});

test('gunWrites_soulgraphReadsAndSeesLiveChanges', { timeout: 30000 }, async () => {
  const soul = unique('fromGun');
  await new Promise((resolve, reject) => gun.get(soul).put({ name: 'gun', n: 1, nested: { x: 7 } },
    (ack) => (ack.err ? reject(new Error(ack.err)) : resolve())));
  assert.equal(await db.get(soul).get('name').once(), 'gun');
  assert.equal(await db.get(soul).get('nested').get('x').once(), 7);
  const seen = [];
  db.get(soul).get('n').on((value) => seen.push(value));
  await eventually(() => seen.includes(1), 'the current value');
  gun.get(soul).get('n').put(2);
  await eventually(() => seen.includes(2), 'the gun client\'s live change');
});

test('soulgraphWrites_gunReadsNestedAndSetItems', { timeout: 30000 }, async () => {
  const soul = unique('fromUs');
  await db.get(soul).put({ title: 'ours', profile: { city: 'Oslo' } });
  assert.equal(await gunOnce(gun.get(soul).get('title')), 'ours');
  assert.equal(await gunOnce(gun.get(soul).get('profile').get('city')), 'Oslo');
  const list = unique('list');
  await db.get(list).set({ label: 'one' });
  await db.get(list).set({ label: 'two' });
  const labels = new Set();
  gun.get(list).map().on((item) => item && labels.add(item.label));
  await eventually(() => labels.has('one') && labels.has('two'), 'gun to list both set items');
});

test('gunSubscribed_seesSoulgraphUpdatesLive', { timeout: 30000 }, async () => {
  const soul = unique('liveToGun');
  await db.get(soul).put({ v: 'first' });
  const seen = [];
  gun.get(soul).get('v').on((value) => seen.push(value));
  await eventually(() => seen.includes('first'), 'gun to read the first value');
  await db.get(soul).get('v').put('second');
  await eventually(() => seen.includes('second'), 'gun to receive our update');
});
