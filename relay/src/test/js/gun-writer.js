// A real gun 0.2020.1241 client writing many conflicting values, for the cluster ITs.
// Usage: node gun-writer.js <relay url> <client name> <soul prefix> <souls> <fields> <writes> [stream]
// Writes <writes> puts, each one field of one of <souls> nodes set to "<client name>-<n>", and
// prints one JSON line at the end:
//   {"acked": [[soul, field, value, state], ...], "failed": n, "unanswered": [[soul, field, value, state], ...]}
// (failed: the relay answered with an error; unanswered: no answer, each with the state gun sent
// it with, or null if gun never sent it). With "stream", each acked write is also printed at once
// as {"ack": [soul, field, value, state]}.
// The state of each put is taken from the put message gun sends (its own HAM clock), so the
// test can feed exactly the acknowledged writes to a reference replica.
//
// Puts go one at a time, the next once the last is answered or MOVE_ON_MS has passed: a relay,
// like GunDB's, never answers a put whose fields all lost to newer states, and waiting out each
// of those held a writer up for a minute. Puts left without an answer stay awaited until the
// relay says it has no put left to answer (its soulgraph_puts_waiting gauges, read on
// /metrics, all 0 twice over more than a second, the gauges' refresh), or until PUT_TIMEOUT_MS.
'use strict';
const Gun = require('gun');
const http = require('http');

const [url, name, prefix, souls, fields, writes, mode] = process.argv.slice(2);
const MOVE_ON_MS = 2000;
const PUT_TIMEOUT_MS = 60000;
const QUIET_SCRAPES = 2;
const metricsUrl = new URL('/metrics', url.replace(/^ws/, 'http')).toString();

const sentBy = new Map(); // value -> the put gun sent with it: {soul, field, value, state}
Gun.on('opt', function (root) {
  this.to.next(root);
  root.on('out', function (msg) {
    this.to.next(msg);
    if (!msg.put) return;
    for (const soul of Object.keys(msg.put)) {
      const node = msg.put[soul];
      if (!node || !node._ || !node._['>']) continue;
      for (const field of Object.keys(node._['>'])) {
        const put = sentBy.get(node[field]);
        if (put && put.soul === soul && put.field === field && typeof node._['>'][field] === 'number') {
          put.state = node._['>'][field];
          put.sentAt = Date.now();
        }
      }
    }
  });
});

const gun = Gun({
  peers: [url], axe: false, multicast: false, radisk: false, localStorage: false,
  rfs: false, stats: false,
});

const acked = [];
let failed = 0;
const outstanding = new Set(); // puts sent and not answered yet

function write(n) {
  const put = {
    soul: prefix + Math.floor(Math.random() * Number(souls)),
    field: 'f' + Math.floor(Math.random() * Number(fields)),
    value: name + '-' + n, state: undefined, sentAt: Date.now(),
  };
  sentBy.set(put.value, put);
  outstanding.add(put);
  return new Promise((resolve) => {
    const moveOn = setTimeout(resolve, MOVE_ON_MS);
    gun.get(put.soul).put({ [put.field]: put.value }, (ack) => {
      if (!outstanding.delete(put)) return; // gun may call back once per ack; the first decides
      sentBy.delete(put.value);
      clearTimeout(moveOn);
      // state undefined: gun never sent the put to the relay (its own HAM dropped it)
      if (ack.err || put.state === undefined) failed += 1;
      else {
        acked.push([put.soul, put.field, put.value, put.state]);
        if (mode === 'stream') process.stdout.write(JSON.stringify({ ack: acked[acked.length - 1] }) + '\n');
      }
      resolve();
    });
  });
}

function putsWaitingAtRelay() {
  return new Promise((resolve) => {
    const request = http.get(metricsUrl, { timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => {
        let sum = null;
        for (const line of body.split('\n')) {
          const m = /^soulgraph_puts_waiting\{[^}]*\} (\S+)/.exec(line);
          if (m) sum = (sum || 0) + Number(m[1]);
        }
        resolve(sum);
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function awaitOutstanding() {
  let quiet = 0;
  while (outstanding.size > 0) {
    const newest = Math.max(...[...outstanding].map((put) => put.sentAt));
    if (Date.now() - newest >= PUT_TIMEOUT_MS) break;
    const waiting = Date.now() - newest > MOVE_ON_MS ? await putsWaitingAtRelay() : null;
    quiet = waiting === 0 ? quiet + 1 : 0;
    if (quiet >= QUIET_SCRAPES) break;
    await sleep(1100);
  }
  return [...outstanding].map((put) => [put.soul, put.field, put.value, put.state === undefined ? null : put.state]);
}

(async () => {
  for (let n = 0; n < Number(writes); n++) await write(n);
  const unanswered = await awaitOutstanding();
  process.stdout.write(JSON.stringify({ acked, failed, unanswered }) + '\n');
  setTimeout(() => process.exit(0), 50);
})();
