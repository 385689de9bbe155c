// A real gun 0.2020.1241 client writing many conflicting values, for the cluster ITs.
// Usage: node gun-writer.js <relay url> <client name> <soul prefix> <souls> <fields> <writes> [stream]
// Writes <writes> puts, one at a time, each one field of one of <souls> nodes set to
// "<client name>-<n>", and prints one JSON line at the end:
//   {"acked": [[soul, field, value, state], ...], "failed": n, "unanswered": [[soul, field, value, state], ...]}
// (failed: the relay answered with an error; unanswered: no answer within 60 s, each with the
// state gun sent it with, or null if gun never sent it). With "stream",
// each acked write is also printed at once as {"ack": [soul, field, value, state]}.
// The state of each put is taken from the put message gun sends (its own HAM clock), so the
// test can feed exactly the acknowledged writes to a reference replica.
'use strict';
const Gun = require('gun');

const [url, name, prefix, souls, fields, writes, mode] = process.argv.slice(2);
const PUT_TIMEOUT_MS = 60000;

let pending = null; // the put in flight: {soul, field, value, state}
Gun.on('opt', function (root) {
  this.to.next(root);
  root.on('out', function (msg) {
    this.to.next(msg);
    if (pending && msg.put && msg.put[pending.soul]) {
      const node = msg.put[pending.soul];
      const state = node._ && node._['>'] && node._['>'][pending.field];
      if (typeof state === 'number') pending.state = state;
    }
  });
});

const gun = Gun({
  peers: [url], axe: false, multicast: false, radisk: false, localStorage: false,
  rfs: false, stats: false,
});

const acked = [];
let failed = 0;
const unanswered = [];

function writeOne(n) {
  return new Promise((resolve) => {
    const soul = prefix + Math.floor(Math.random() * Number(souls));
    const field = 'f' + Math.floor(Math.random() * Number(fields));
    const value = name + '-' + n;
    pending = { soul, field, value, state: undefined };
    const mine = pending;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      // state undefined: gun never sent the put to the relay (its own HAM dropped it)
      unanswered.push([mine.soul, mine.field, mine.value, mine.state === undefined ? null : mine.state]);
      resolve();
    }, PUT_TIMEOUT_MS);
    gun.get(soul).put({ [field]: value }, (ack) => {
      if (done) return; // gun may call back once per ack; the first one decides
      done = true;
      clearTimeout(timer);
      if (ack.err || mine.state === undefined) failed += 1;
      else {
        acked.push([mine.soul, mine.field, mine.value, mine.state]);
        if (mode === 'stream') process.stdout.write(JSON.stringify({ ack: acked[acked.length - 1] }) + '\n');
      }
      resolve();
    });
  });
}

(async () => {
  for (let n = 0; n < Number(writes); n++) await writeOne(n);
  process.stdout.write(JSON.stringify({ acked, failed, unanswered }) + '\n');
  setTimeout(() => process.exit(0), 50);
})();
