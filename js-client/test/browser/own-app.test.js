// The bundled client in a user's own app: pages served from another origin (and from file://)
// load the client from the relay, as an ES module import and as the single-file <script> build,
// and write through it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startRelay } from '../harness.js';
import { Soulgraph } from '../../src/soulgraph.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let relay;
let browser;
let app;
let appOrigin;
let dir;

/** What a user's page would hold: it writes `value` at `soul` and sets window.done. */
const pages = {
  module: (relayHttp, ws, soul, value) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
    <script type="module">
      import { Soulgraph } from '${relayHttp}/soulgraph.js';
      const db = new Soulgraph({ peers: ['${ws}'], store: 'memory' });
      db.get('${soul}').put({ value: '${value}' }).then(() => { window.done = 'acked'; },
        (e) => { window.done = 'failed: ' + e.message; });
    </script>`,
  script: (relayHttp, ws, soul, value) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
    <script src="${relayHttp}/soulgraph.bundle.js"></script>
    <script>
      const db = new Soulgraph({ peers: ['${ws}'], store: 'memory' });
      db.get('${soul}').put({ value: '${value}' }).then(() => { window.done = 'acked'; },
        (e) => { window.done = 'failed: ' + e.message; });
    </script>`,
};

before(async () => {
  relay = await startRelay();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soulgraph-own-app-'));
  // The user's app: its own server on another port, i.e. another origin than the relay's.
  app = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const page = pages[url.pathname.slice(1)];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page(relay.http, relay.ws, url.searchParams.get('soul'), url.searchParams.get('v')));
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${app.address().port}`;
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  await relay?.stop();
  if (dir) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Opens url, waits for the page's write to be acked, checks that a reader sees it. */
async function writesThroughRelay(url, soul, value) {
  const context = await browser.newContext();
  const errors = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    await page.goto(url);
    const done = await page.waitForFunction(() => window.done, null, { timeout: 20000 })
      .then((handle) => handle.jsonValue(), () => undefined);
    assert.deepEqual(errors, [], 'no console errors (a missing CORS header shows here)');
    assert.equal(done, 'acked');
  } finally {
    await context.close();
  }
  const reader = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  try {
    assert.equal(await reader.get(soul).get('value').once(), value);
  } finally {
    reader.close();
  }
}

const unique = (name) => `own-app/${name}/${Math.random().toString(36).slice(2)}`;

test('pageOnAnotherOrigin_importsClientModule_fromRelay', { timeout: 60000 }, async () => {
  const soul = unique('module');
  await writesThroughRelay(`${appOrigin}/module?soul=${soul}&v=esm`, soul, 'esm');
});

test('pageOnAnotherOrigin_loadsSingleFileBuild_withScriptTag', { timeout: 60000 }, async () => {
  const soul = unique('script');
  await writesThroughRelay(`${appOrigin}/script?soul=${soul}&v=classic`, soul, 'classic');
});

test('pageFromFile_importsClientModule_fromRelay', { timeout: 60000 }, async () => {
  const soul = unique('file');
  const file = path.join(dir, 'app.html');
  fs.writeFileSync(file, pages.module(relay.http, relay.ws, soul, 'file'));
  await writesThroughRelay(`file://${file}`, soul, 'file');
});

test('clientFiles_carryCorsHeader', async () => {
  for (const file of ['/soulgraph.js', '/ham.js', '/soulgraph.bundle.js']) {
    const res = await fetch(relay.http + file, { headers: { origin: appOrigin } });
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', file);
  }
});
