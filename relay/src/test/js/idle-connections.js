// Holds N idle WebSocket connections to a Gun relay (as open browser tabs do) and measures what an
// honest client sees before and while they are open: put-ack and get-reply latency, p50/p99.
// Usage: node idle-connections.js <ws url> <connections> <probes>
// (internally also: node idle-connections.js --probe <ws url> 0 <probes> <phase>)
// Prints one JSON line per phase: {"phase":"before"|"during"|"settled","putP50":…,"putP99":…,
// "getP50":…,"getP99":…,"failed":…} and {"phase":"opened","open":N,"refused":M,"ms":T}; then holds the
// connections until stdin closes or SIGTERM, so the caller can read the relay's memory meanwhile.
'use strict';
const WebSocket = require('ws');

// The honest client runs in a process of its own (as another browser would): the process holding
// the idle connections is busy with them, and its event loop must not be charged to the relay.
const probeOnly = process.argv[2] === '--probe';
const args = probeOnly ? process.argv.slice(1) : process.argv;
const [url, count, probes] = [args[2], Number(args[3]), Number(args[4] || 50)];
const PROBE_TIMEOUT_MS = 5000;
// "during" probes right after the last connection opened; "settled" this long after it
const SETTLE_MS = Number(process.env.SETTLE_MS || 20000);
const idle = [];

// Linux gives each source address about 28,000 ephemeral ports towards one relay port, so past
// SOURCE_SPAN connections the next ones come from 127.0.0.2, 127.0.0.3, … (all loopback).
const SOURCE_SPAN = 20000;
let opened = 0;

function connect() {
  return new Promise((resolve) => {
    const source = Math.floor(opened++ / SOURCE_SPAN);
    const ws = new WebSocket(url, { perMessageDeflate: true, // browsers offer it too
      ...(source > 0 && { localAddress: `127.0.0.${1 + source}` }) });
    ws.on('open', () => resolve(true));
    ws.on('error', () => resolve(false));
    ws.on('unexpected-response', () => resolve(false));
    ws.on('message', () => {});
    idle.push(ws);
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function probe(phase, quiet) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  const waiting = new Map();
  ws.on('message', (data) => {
    for (const message of [].concat(JSON.parse(String(data)))) {
      const done = waiting.get(message['@']);
      if (done) { waiting.delete(message['@']); done(); }
    }
  });
  const ask = (message) => new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const timer = setTimeout(() => { waiting.delete(message['#']); resolve(null); }, PROBE_TIMEOUT_MS);
    waiting.set(message['#'], () => { clearTimeout(timer); resolve(Number(process.hrtime.bigint() - started) / 1e6); });
    ws.send(JSON.stringify(message));
  });
  const puts = [], gets = [];
  let failed = 0;
  for (let i = 0; i < probes; i++) {
    const soul = `probe-${phase}-${i}`, id = `${phase}-${i}-${Date.now()}`;
    const put = await ask({ '#': 'p' + id, put: { [soul]: { _: { '#': soul, '>': { v: Date.now() } }, v: i } } });
    const get = await ask({ '#': 'g' + id, get: { '#': soul } });
    if (put === null || get === null) failed++;
    if (put !== null) puts.push(put);
    if (get !== null) gets.push(get);
  }
  ws.close();
  puts.sort((a, b) => a - b); gets.sort((a, b) => a - b);
  const round = (x) => (x === undefined ? null : Math.round(x * 10) / 10);
  if (quiet) return;
  console.log(JSON.stringify({ phase, putP50: round(percentile(puts, 0.5)), putP99: round(percentile(puts, 0.99)),
    getP50: round(percentile(gets, 0.5)), getP99: round(percentile(gets, 0.99)), failed }));
}

function probeElsewhere(phase) {
  return new Promise((resolve, reject) => {
    require('child_process').execFile(process.execPath, [__filename, '--probe', url, 0, probes, phase],
      (error, stdout) => { if (error) reject(error); else { process.stdout.write(stdout); resolve(); } });
  });
}

if (probeOnly) {
  const phase = args[5];
  probe(phase, phase === 'warm-up').then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
} else (async () => {
  await probeElsewhere('warm-up'); // the relay's first puts pay for JIT and storage warm-up
  await probeElsewhere('before');
  const started = Date.now();
  let open = 0, refused = 0;
  for (let i = 0; i < count; i += 250) {
    const results = await Promise.all(Array.from({ length: Math.min(250, count - i) }, connect));
    results.forEach((ok) => (ok ? open++ : refused++));
  }
  console.log(JSON.stringify({ phase: 'opened', open, refused, ms: Date.now() - started }));
  await probeElsewhere('during');
  // the opening burst's garbage is still being collected right after it; probe again once settled
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await probeElsewhere('settled');
  const stillOpen = idle.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  console.log(JSON.stringify({ phase: 'holding', stillOpen }));
  const stop = () => { idle.forEach((ws) => ws.terminate()); process.exit(0); };
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
})().catch((e) => { console.error(e); process.exit(1); });
