// A real gun 0.2020.1241 client driven from the command line by the Java ITs.
// Usage: node gun-client.js <command> <relay url> [args...]; prints one JSON line per result.
//   put <soul> <json>            put an object (nested objects become linked nodes), print the ack
//   link <soul> <field> <target> put a link to node <target>, print the ack
//   set <soul> <json>            add an item node to the set <soul>, print the ack
//   once <soul> [key...]         read through the chain once, print the value (or missing)
//   on <soul> <key> <n>          print each value of <key> as it changes, exit after n values
//   map <soul> <n>               print the items of the set <soul> once n have arrived
'use strict';
const Gun = require('gun');

const [command, url, ...args] = process.argv.slice(2);
const TIMEOUT_MS = Number(process.env.GUN_CLIENT_TIMEOUT_MS || 20000);

const gun = Gun({
  peers: [url], axe: false, multicast: false, radisk: false, localStorage: false,
  rfs: false, stats: false,
});

function print(result) {
  process.stdout.write(JSON.stringify(result) + '\n');
}

function finish(result, code) {
  print(result);
  setTimeout(() => process.exit(code), 50);
}

function plain(value) {
  if (value === undefined) return { missing: true };
  if (value === null || typeof value !== 'object') return { value };
  const copy = {};
  for (const key of Object.keys(value)) if (key !== '_') copy[key] = value[key];
  return { value: copy };
}

function chain(soul, keys) {
  return keys.reduce((ref, key) => ref.get(key), gun.get(soul));
}

function onAck(ack) {
  finish({ ack: ack.err ? { err: String(ack.err) } : { ok: true } }, ack.err ? 1 : 0);
}

setTimeout(() => finish({ error: 'timeout after ' + TIMEOUT_MS + ' ms' }, 3), TIMEOUT_MS);

switch (command) {
  case 'put':
    gun.get(args[0]).put(JSON.parse(args[1]), onAck);
    break;
  case 'link':
    gun.get(args[0]).get(args[1]).put(gun.get(args[2]), onAck);
    break;
  case 'set':
    gun.get(args[0]).set(JSON.parse(args[1]), onAck);
    break;
  case 'once':
    chain(args[0], args.slice(1)).once((value) => finish(plain(value), 0));
    break;
  case 'on': {
    const wanted = Number(args[2]);
    let seen = 0;
    gun.get(args[0]).get(args[1]).on((value) => {
      seen += 1;
      print(plain(value));
      if (seen >= wanted) setTimeout(() => process.exit(0), 50);
    });
    break;
  }
  case 'map': {
    const wanted = Number(args[1]);
    const items = {};
    gun.get(args[0]).map().once((value, key) => {
      items[key] = plain(value).value;
      if (Object.keys(items).length >= wanted) finish({ items: Object.values(items) }, 0);
    });
    break;
  }
  default:
    finish({ error: 'unknown command ' + command }, 2);
}
