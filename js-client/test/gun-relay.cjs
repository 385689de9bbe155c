// GunDB's own relay (npm gun 0.2020.1241) plus a static file server for js-client/src and
// js-client/app, standing in for the Soulgraph relay when SOULGRAPH_RELAY_JAR is not set.
// Prints "listening on 127.0.0.1:<port>" once ready.
const http = require('http');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const types = { '.js': 'text/javascript', '.html': 'text/html', '.css': 'text/css',
  '.svg': 'image/svg+xml' };

function serveStatic(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
  if (name.includes('/') || name.includes('..')) {
    res.writeHead(404).end();
    return;
  }
  for (const dir of ['src', 'app', 'target/bundle']) { // target/bundle: build/bundle.mjs
    const file = path.join(root, dir, name);
    if (fs.existsSync(file)) {
      res.writeHead(200, { 'content-type': types[path.extname(name)] || 'text/plain',
        'access-control-allow-origin': '*' });
      res.end(fs.readFileSync(file));
      return;
    }
  }
  res.writeHead(404).end();
}

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200).end('ok');
    return;
  }
  if (!req.url.startsWith('/gun')) {
    serveStatic(req, res);
  }
});
const Gun = require('gun');
const file = fs.mkdtempSync(path.join(os.tmpdir(), 'gun-relay-'));
Gun({ web: server, file, multicast: false, axe: false,
  localStorage: false, stats: false });
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log('listening on 127.0.0.1:' + server.address().port);
});
process.on('SIGTERM', () => process.exit(0));
