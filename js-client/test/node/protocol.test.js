// The wire protocol as our client speaks it, against a scripted fake relay (a plain `ws` server)
// that records every frame and answers as a GunDB relay does (docs/gun-protocol.md §2-§5).
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import { Soulgraph } from '../../src/soulgraph.js';
import { eventually, sleep } from '../harness.js';

const T = Date.now() - 10000;
let server;
let socket;
let received;
let db;
/** @type {(message: any) => void} */
let answer;

beforeEach(async () => {
  received = [];
  answer = () => {};
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/gun' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (ws) => {
    socket = ws;
    ws.send(JSON.stringify({ '#': 'hello1', dam: '?', pid: 'fakerelay' }));
    ws.on('message', (data) => {
      const parsed = JSON.parse(String(data));
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        received.push(message);
        answer(message);
      }
    });
  });
  db = new Soulgraph({ peers: [`ws://127.0.0.1:${server.address().port}/gun`], store: 'memory' });
  await eventually(() => db.online, 'the client to connect');
});

afterEach(async () => {
  db.close();
  await new Promise((resolve) => server.close(resolve));
});

const send = (frame) => socket.send(JSON.stringify(frame));
const node = (soul, fields, state = T) => ({
  _: { '#': soul, '>': Object.fromEntries(Object.keys(fields).map((k) => [k, state])) }, ...fields,
});

test('handshake_relayAsks_clientAnswersDamWithItsPid', async () => {
  const reply = await eventually(() => received.find((m) => m.dam === '?'), 'the dam answer');
  assert.equal(reply['@'], 'hello1');
  assert.match(reply['#'], /^[0-9A-Za-z]{9}$/);
  assert.equal(typeof reply.pid, 'string');
});

test('once_onLinkedField_sendsFieldGetThenSoulGet', async () => {
  answer = (m) => {
    if (m.get && m.get['#'] === 'a' && m.get['.'] === 'b') {
      send({ '#': 'r1', '@': m['#'], put: { a: node('a', { b: { '#': 'a/b' } }) } });
    } else if (m.get && m.get['#'] === 'a/b' && m.get['.'] === undefined) {
      send({ '#': 'r2', '@': m['#'], put: { 'a/b': node('a/b', { x: 1 }) } });
    }
  };
  const value = await db.get('a').get('b').once();
  assert.equal(value.x, 1);
  const gets = received.filter((m) => m.get).map((m) => m.get);
  assert.deepEqual(gets, [{ '#': 'a', '.': 'b' }, { '#': 'a/b' }]);
});

test('once_notFoundReply_resolvesUndefinedWithoutWaitingForTimeout', async () => {
  answer = (m) => m.get && send({ '#': 'nf' + m['#'], '@': m['#'] });
  const started = Date.now();
  assert.equal(await db.get('nope').once(), undefined);
  assert.ok(Date.now() - started < 1000, 'answered by the not-found reply, not the 3 s timeout');
});

test('once_chunkedAnswersOutOfOrder_waitsForEveryAnnouncedChunk', async () => {
  // As a stock relay sends a big node (capture 12.5): c1 names c2, then [c3, c2 naming c3].
  answer = (m) => {
    if (m.get) {
      send({ '#': 'c1', '@': m['#'], '%': 'c2', put: { big: node('big', { k1: 1 }) } });
      setTimeout(() => send([
        { '#': 'c3', '@': m['#'], put: { big: node('big', { k3: 3 }) } },
        { '#': 'c2', '@': m['#'], '%': 'c3', put: { big: node('big', { k2: 2 }) } },
      ]), 300);
    }
  };
  const value = await db.get('big').once();
  assert.deepEqual([value.k1, value.k2, value.k3], [1, 2, 3]);
});

test('put_sendsGunShapeAndResolvesOnOk_rejectsOnErr', async () => {
  answer = (m) => m.put && send({ '#': 'ack' + m['#'], '@': m['#'], ok: 1 });
  await db.get('p').put({ s: 'x', n: 1 });
  const put = received.find((m) => m.put);
  assert.deepEqual(Object.keys(put), ['#', 'ok', 'put']);
  assert.deepEqual(put.ok, { '@': 9, '/': 1 });
  const state = put.put.p._['>'].s;
  assert.deepEqual(put.put.p, { _: { '#': 'p', '>': { s: state, n: state } }, s: 'x', n: 1 });
  answer = (m) => m.put && send({ '#': 'e' + m['#'], '@': m['#'], err: 'Unverified data.' });
  await assert.rejects(db.get('p').get('s').put('y'), /Unverified data\./);
  assert.equal(db.queued, 0, 'a refused write is not resent');
});

test('pushedPut_arrayFramesAndDuplicateIds_appliedOnceInOrder', async () => {
  const seen = [];
  db.get('pushed').get('v').on((v) => seen.push(v));
  await sleep(50);
  send([{ '#': 'u1', put: { pushed: node('pushed', { v: 'one' }, T) } },
    { '#': 'u2', put: { pushed: node('pushed', { v: 'two' }, T + 1) } }]);
  send({ '#': 'u2', put: { pushed: node('pushed', { v: 'replayed' }, T + 2) } });
  send([]);
  await eventually(() => seen.includes('two'), 'both pushed updates');
  await sleep(100);
  assert.deepEqual(seen, ['one', 'two']);
});

test('forwardedGet_answeredFromLocalReplica', async () => {
  answer = (m) => m.put && send({ '#': 'a' + m['#'], '@': m['#'], ok: 1 });
  await db.get('mine').put({ only: 'here', other: 2 });
  send({ '#': 'fwd1', get: { '#': 'mine', '.': 'only' } });
  send({ '#': 'fwd2', get: { '#': 'unknown-soul' } });
  const reply = await eventually(() => received.find((m) => m['@'] === 'fwd1'), 'the answer');
  assert.deepEqual(Object.keys(reply.put.mine), ['_', 'only']);
  assert.equal(reply.put.mine.only, 'here');
  await sleep(100);
  assert.equal(received.find((m) => m['@'] === 'fwd2'), undefined, 'no answer without data');
});

test('resentWriteNeverAcked_settledByRelayShowingItsState', async () => {
  let acks = true;
  answer = (m) => {
    if (m.put && acks) {
      socket.terminate(); // the ack is lost with the connection
    } else if (m.get && m.get['#'] === 'lost') {
      send({ '#': 'g' + m['#'], '@': m['#'], put: { lost: written } });
    }
  };
  let written;
  const settled = db.get('lost').put({ v: 'kept' });
  await eventually(() => received.some((m) => m.put), 'the first send');
  written = received.find((m) => m.put).put.lost;
  acks = false;
  await settled;
  assert.equal(db.queued, 0);
  assert.ok(received.filter((m) => m.put).length >= 2, 'the write was resent');
});
