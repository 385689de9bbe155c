// Offline-first: writes queue while the relay is unreachable, are resent on reconnect, and
// subscriptions are renewed. The relay is reached through a proxy the tests can cut.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Soulgraph } from '../../src/soulgraph.js';
import { backoffMs } from '../../src/wire.js';
import { startRelay, startProxy, eventually, sleep } from '../harness.js';

let relay;
const clients = [];
const proxies = [];
const unique = (name) => `offline/${name}/${Math.random().toString(36).slice(2)}`;

function client(url, options = {}) {
  const db = new Soulgraph({ peers: [url], store: 'memory', ...options });
  clients.push(db);
  return db;
}

async function proxy() {
  const p = await startProxy(relay.port);
  proxies.push(p);
  return p;
}

before(async () => { relay = await startRelay(); });
after(async () => {
  clients.forEach((db) => db.close());
  await Promise.all(proxies.map((p) => p.close()));
  await relay.stop();
});

test('backoff_doublesFrom100ms_cappedAt2500ms', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map(backoffMs), [100, 200, 400, 800, 1600, 2500, 2500]);
});

test('put_whileOffline_visibleLocallyQueuedThenDeliveredOnReconnect', { timeout: 30000 },
  async () => {
    const soul = unique('queue');
    const link = await proxy();
    const offline = client(link.ws);
    await eventually(() => offline.online, 'the first connection');
    link.cut();
    await eventually(() => !offline.online, 'the client to notice it is offline');
    const acked = offline.get(soul).put({ note: 'written offline' });
    assert.equal(await offline.get(soul).get('note').once(), 'written offline');
    assert.equal(offline.queued, 1);
    assert.equal(await client(relay.ws).get(soul).get('note').once(), undefined);
    link.restore();
    await acked;
    assert.equal(offline.queued, 0);
    assert.equal(await client(relay.ws).get(soul).get('note').once(), 'written offline');
  });

test('put_ackTimeoutWhileOffline_rejectsButStaysQueuedAndIsResent', { timeout: 30000 },
  async () => {
    const soul = unique('timeout');
    const link = await proxy();
    const db = client(link.ws, { ackTimeout: 300 });
    await eventually(() => db.online, 'the first connection');
    link.cut();
    await eventually(() => !db.online, 'the client to notice it is offline');
    await assert.rejects(db.get(soul).put({ v: 1 }), (e) => e.lack === true);
    assert.equal(db.queued, 1);
    link.restore();
    await eventually(() => db.queued === 0, 'the queued write to be acked after reconnect');
    assert.equal(await client(relay.ws).get(soul).get('v').once(), 1);
  });

test('on_subscriberWasOffline_catchesUpAndStaysLiveAfterReconnect', { timeout: 30000 },
  async () => {
    const soul = unique('renew');
    const writer = client(relay.ws);
    await writer.get(soul).put({ v: 'before' });
    const link = await proxy();
    const reader = client(link.ws);
    const seen = [];
    reader.get(soul).get('v').on((value) => seen.push(value));
    await eventually(() => seen.includes('before'), 'the first value');
    link.cut();
    await eventually(() => !reader.online, 'the reader to go offline');
    await writer.get(soul).get('v').put('while away');
    await sleep(200);
    assert.ok(!seen.includes('while away'));
    link.restore();
    await eventually(() => seen.includes('while away'), 'the renewed subscription to catch up');
    await writer.get(soul).get('v').put('after');
    await eventually(() => seen.includes('after'), 'live updates after reconnect');
  });

test('bothEditWhileOnePartitioned_convergeToSameState', { timeout: 30000 }, async () => {
  const soul = unique('converge');
  const link = await proxy();
  const a = client(link.ws);
  const b = client(relay.ws);
  await a.get(soul).put({ shared: 'start', onlyA: 0, onlyB: 0 });
  await eventually(async () => (await b.get(soul).get('shared').once()) === 'start', 'b to see a');
  b.get(soul).on(() => {});
  a.get(soul).on(() => {});
  link.cut();
  await eventually(() => !a.online, 'a to go offline');
  a.get(soul).put({ shared: 'from A', onlyA: 1 }).catch(() => {});
  await sleep(5);
  await b.get(soul).put({ shared: 'from B', onlyB: 1 });
  link.restore();
  const view = (db) => {
    const node = db.node(soul);
    return node && JSON.stringify([node.shared, node.onlyA, node.onlyB, node._['>'].shared]);
  };
  await eventually(() => a.queued === 0 && view(a) === view(b)
    && JSON.parse(view(a))[0] === 'from B', 'a and b to converge on the later write');
  assert.deepEqual(JSON.parse(view(a)).slice(0, 3), ['from B', 1, 1]);
});
