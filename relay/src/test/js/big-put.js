// One big put and an honest client beside it: does the big write stall everyone else?
// Usage: node big-put.js <ws url> <fields|souls|flood|getflood> <N> [tag]
// (flood: instead of one big put, the second connection sends N one-field puts at 4,000 a second,
// under the relay's default rate of 5,000 messages a second, and "bigAckMs" is until all are acked;
// getflood: N gets of one stored node at the same pace, "bigAckMs" until all are answered)
// An honest client puts one small node at a time (each waits for its ack) for 3 s alone, then while
// a second connection sends one put of N fields (one node with N new fields, or N souls of one field
// each), and for 2 s after its ack. Every acked put is then read back (the big one field by field).
// Prints one JSON line: {"kind","n","frameBytes","bigAckMs","bigOutcome","alone":{p50,p99,n},
// "during":{p50,p99,max,n},"lost":…}; lost counts acked fields that did not read back.
// With RELAY_GC_LOG naming the relay's collector log (-Xlog:gc:file=<path>:timemillis), the line
// also has "gc":{pauses,pauseMs,tail,tailMetPause}: the collector's pauses that ended while the
// big put was in flight, and of the honest puts then at or above their p99 (the slowest 1 %), how
// many had a pause within their time (a pause stops every thread of the relay).
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const [url, kind, n, tag] = [process.argv[2], process.argv[3], Number(process.argv[4]),
  process.argv[5] || String(Date.now())];
const TIMEOUT_MS = Number(process.env.BIG_PUT_TIMEOUT_MS || 120000);

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    const waiting = new Map();
    ws.on('message', (data) => {
      for (const message of [].concat(JSON.parse(String(data)))) {
        const done = waiting.get(message['@']);
        if (done) { waiting.delete(message['@']); done(message); }
      }
    });
    ws.ask = (message, timeout = TIMEOUT_MS) => new Promise((done) => {
      const timer = setTimeout(() => { waiting.delete(message['#']); done(null); }, timeout);
      waiting.set(message['#'], (answer) => { clearTimeout(timer); done(answer); });
      ws.send(typeof message.text === 'string' ? message.text : JSON.stringify(message));
    });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] * 10) / 10 : null;
  return { p50: at(0.5), p99: at(0.99), max: at(1), n: sorted.length };
}

// [end, ms] of each stop-the-world pause in a collector log written with the timemillis decorator
function gcPauses(path) {
  const pauses = [];
  for (const line of fs.readFileSync(path, 'utf8').split('\n')) {
    const m = /^\[(\d+)ms\].* Pause .* ([\d.]+)ms$/.exec(line);
    if (m) pauses.push([Number(m[1]), Number(m[2])]);
  }
  return pauses;
}

function gcBeside(path, bigStart, bigAckMs, during, duringP99) {
  const pauses = gcPauses(path).filter(([end]) => end >= bigStart && end <= bigStart + bigAckMs);
  const tail = during.filter(([, ms]) => ms >= duringP99);
  const met = tail.filter(([sent, ms]) =>
    pauses.some(([end, pause]) => end - pause <= sent + ms && end >= sent));
  return { pauses: pauses.length, pauseMs: Math.round(pauses.reduce((a, [, p]) => a + p, 0)),
    tail: tail.length, tailMetPause: met.length };
}

function bigGraph() {
  const now = Date.now();
  const graph = {};
  if (kind === 'fields') {
    const soul = `big-${tag}`;
    const node = { _: { '#': soul, '>': {} } };
    for (let i = 0; i < n; i++) { node._['>'][`f${i}`] = now; node[`f${i}`] = i; }
    graph[soul] = node;
  } else {
    for (let i = 0; i < n; i++) {
      const soul = `big-${tag}-${i}`;
      graph[soul] = { _: { '#': soul, '>': { v: now } }, v: i };
    }
  }
  return graph;
}

async function flood(ws, graph) {
  const answers = [];
  let i = 0;
  for (const soul of Object.keys(graph)) {
    answers.push(ws.ask({ '#': `fl-${tag}-${i}`, put: { [soul]: graph[soul] } }));
    if (++i % 400 === 0) await new Promise((r) => setTimeout(r, 100));
  }
  const all = await Promise.all(answers);
  const failed = all.filter((a) => !a || !a.ok);
  return failed.length === 0 ? { ok: 1 } : { err: `${failed.length} of ${all.length} not acked: ${JSON.stringify(failed[0])}` };
}

async function getFlood(ws) {
  const soul = `gf-${tag}`;
  const stored = await ws.ask({ '#': `gf-put-${tag}`, put: { [soul]: { _: { '#': soul, '>': { v: Date.now() } }, v: 'x'.repeat(200) } } });
  if (!stored || !stored.ok) return { err: `the flooded node was not stored: ${JSON.stringify(stored)}` };
  const answers = [];
  for (let i = 0; i < n; i++) {
    answers.push(ws.ask({ '#': `gf-${tag}-${i}`, get: { '#': soul } }));
    if ((i + 1) % 400 === 0) await new Promise((r) => setTimeout(r, 100));
  }
  const all = await Promise.all(answers);
  const failed = all.filter((a) => !a || !a.put || !a.put[soul]);
  return failed.length === 0 ? { ok: 1 } : { err: `${failed.length} of ${all.length} gets not answered: ${JSON.stringify(failed[0])}` };
}

(async () => {
  // built before the honest client starts: building it blocks this event loop, which would add
  // to the honest puts in flight meanwhile
  const graph = kind === 'getflood' ? {} : bigGraph();
  const text = JSON.stringify({ '#': `big-${tag}`, put: graph });
  const honest = await open();
  const writer = await open();
  const acked = [];
  let phase = 'alone';
  const latencies = { alone: [], during: [], after: [] };
  let stop = false, seq = 0, unacked = 0;
  const duringSent = []; // [sent at (ms since the epoch), ms] of each honest put beside the big one
  const honestLoop = (async () => {
    while (!stop) {
      const soul = `honest-${tag}-${seq++}`;
      const started = process.hrtime.bigint();
      const sentAt = Date.now();
      const label = phase;
      const answer = await honest.ask({ '#': `h${tag}-${seq}`, put: { [soul]: { _: { '#': soul, '>': { v: Date.now() } }, v: seq } } }, 30000);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (label === 'during') duringSent.push([sentAt, ms]);
      if (answer && answer.ok) { acked.push([soul, seq]); latencies[label].push(ms); } else { unacked++; latencies[label].push(ms); }
    }
  })();
  await new Promise((r) => setTimeout(r, 3000));
  phase = 'during';
  const started = Date.now();
  const answer = kind === 'flood' ? await flood(writer, graph)
    : kind === 'getflood' ? await getFlood(writer) : await writer.ask({ '#': `big-${tag}`, text });
  const bigAckMs = Date.now() - started;
  phase = 'after';
  await new Promise((r) => setTimeout(r, 2000));
  stop = true;
  await honestLoop;
  const bigOutcome = answer === null ? 'timeout' : answer.ok ? 'ack' : `err: ${answer.err}`;
  // read back every acked put
  let lost = 0;
  for (const [i, [soul, v]] of acked.entries()) {
    if (i % 500 === 499) await new Promise((r) => setTimeout(r, 200)); // under the rate limit
    const got = await honest.ask({ '#': `r-${soul}`, get: { '#': soul } }, 30000);
    if (!got || !got.put || !got.put[soul] || got.put[soul].v !== v) lost++;
  }
  let bigLost = 0, asked = 0;
  if (answer && answer.ok) {
    for (const soul of Object.keys(graph)) {
      if (++asked % 500 === 0) await new Promise((r) => setTimeout(r, 200)); // under the rate limit
      const got = await honest.ask({ '#': `rb-${soul}`, get: { '#': soul } }, 60000);
      const node = got && got.put && got.put[soul];
      for (const field of Object.keys(graph[soul]).filter((f) => f !== '_')) {
        if (!node || node[field] !== graph[soul][field]) bigLost++;
      }
    }
  }
  const during = stats(latencies.during);
  const gc = process.env.RELAY_GC_LOG
    ? gcBeside(process.env.RELAY_GC_LOG, started, bigAckMs, duringSent, during.p99) : undefined;
  console.log(JSON.stringify({ kind, n, frameBytes: text.length, bigAckMs, bigOutcome,
    alone: stats(latencies.alone), during, after: stats(latencies.after),
    honestUnacked: unacked, lost, bigLost, gc }));
  honest.close(); writer.close();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
