// GunDB's own Node relay (gun 0.2020.1241), flood mode (axe:false), bound to 127.0.0.1, storing
// with RAD in <data dir> (GunDB acks puts only after a RAD write).
// Usage: node gun-relay.js <port|0> <data dir> [peer url...]; prints {"port":N} once listening.
'use strict';
const http = require('http');
const Gun = require('gun');

const port = Number(process.argv[2] || 0);
const file = process.argv[3];
const peers = process.argv.slice(4);
const server = http.createServer((req, res) => { res.statusCode = 404; res.end(); });

server.listen(port, '127.0.0.1', () => {
  Gun({ web: server, peers, file, axe: false, multicast: false, localStorage: false, stats: false });
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});

process.on('SIGTERM', () => process.exit(0));
