// Headless Chromium (Debian's /usr/bin/chromium via playwright-core): pages loading /soulgraph.js
// and the demo from the relay under test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startRelay, eventually } from '../harness.js';
import { Soulgraph } from '../../src/soulgraph.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let relay;
let browser;
const unique = (name) => `browser/${name}/${Math.random().toString(36).slice(2)}`;

before(async () => {
  relay = await startRelay();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });
});

after(async () => {
  await browser?.close();
  await relay?.stop();
});

/** A page in its own context (own IndexedDB) with a Soulgraph client as window.db. */
async function clientPage(options = {}) {
  const context = options.context || await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(relay.http + '/health');
  await page.evaluate(async (ws) => {
    const { Soulgraph } = await import('/soulgraph.js');
    window.db = new Soulgraph({ peers: [ws], store: 'indexeddb', name: 'browser-test' });
    await window.db.ready;
  }, relay.ws);
  return { context, page };
}

/** The node as a page sees it: values and states, in a stable text. */
function view(page, soul) {
  return page.evaluate((s) => {
    const node = window.db.node(s);
    if (!node) {
      return null;
    }
    const fields = Object.keys(node).filter((k) => k !== '_').sort();
    return JSON.stringify(fields.map((k) => [k, node[k], node._['>'][k]]));
  }, soul);
}

test('twoPages_editSameNode_converge', { timeout: 60000 }, async () => {
  const soul = unique('converge');
  const a = await clientPage();
  const b = await clientPage();
  try {
    for (const { page } of [a, b]) {
      await page.evaluate((s) => { window.db.get(s).on(() => {}); }, soul);
    }
    await Promise.all([
      a.page.evaluate((s) => window.db.get(s).put({ title: 'from A', a: 1 }), soul),
      b.page.evaluate((s) => window.db.get(s).put({ title: 'from B', b: 2 }), soul),
    ]);
    await eventually(async () => {
      const [va, vb] = [await view(a.page, soul), await view(b.page, soul)];
      return va !== null && va === vb && va.includes('"a",1') && va.includes('"b",2');
    }, 'both pages to hold the same node with both edits', 15000);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('pageOffline_bothEdit_reconnect_convergeToSameState', { timeout: 60000 }, async () => {
  const soul = unique('offline');
  const a = await clientPage();
  const b = await clientPage();
  try {
    for (const { page } of [a, b]) {
      await page.evaluate((s) => { window.db.get(s).on(() => {}); }, soul);
    }
    await a.page.evaluate((s) => window.db.get(s).put({ shared: 'start' }), soul);
    await eventually(async () => (await view(b.page, soul))?.includes('start'), 'b to see start');
    await a.context.setOffline(true);
    await a.page.evaluate(() => window.db.disconnect());
    await eventually(() => a.page.evaluate(() => !window.db.online), 'page a to be offline');
    await a.page.evaluate((s) => {
      window.db.get(s).put({ shared: 'A offline', onlyA: true }).catch(() => {});
    }, soul);
    assert.ok((await view(a.page, soul)).includes('A offline'), 'visible locally while offline');
    await b.page.evaluate((s) => window.db.get(s).put({ shared: 'B online', onlyB: true }), soul);
    await a.context.setOffline(false);
    await eventually(async () => {
      const [va, vb] = [await view(a.page, soul), await view(b.page, soul)];
      return va === vb && va.includes('onlyA') && va.includes('onlyB')
        && await a.page.evaluate(() => window.db.queued === 0);
    }, 'both pages to converge after a reconnects', 20000);
    assert.ok((await view(a.page, soul)).includes('"B online"'), 'the later write wins');
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('reload_restoresDataFromIndexedDbBeforeNetworkAnswers', { timeout: 60000 }, async () => {
  const soul = unique('reload');
  const a = await clientPage();
  try {
    await a.page.evaluate((s) => window.db.get(s).put({ kept: 'across reloads' }), soul);
    // From now on the relay never answers this page: its socket opens but hears nothing.
    await a.page.routeWebSocket(/\/gun$/, () => {});
    await a.page.reload();
    const value = await a.page.evaluate(async (s) => {
      const { Soulgraph } = await import('/soulgraph.js');
      window.db = new Soulgraph({ peers: [`ws://${location.host}/gun`], store: 'indexeddb',
        name: 'browser-test' });
      return new Promise((resolve) => window.db.get(s).get('kept').on(resolve));
    }, soul);
    assert.equal(value, 'across reloads');
  } finally {
    await a.context.close();
  }
});

test('writeNeverAcked_survivesReloadInIndexedDb_thenResent', { timeout: 60000 }, async () => {
  const soul = unique('outbox');
  const context = await browser.newContext();
  let relayReachable = false;
  try {
    const page = await context.newPage();
    await page.routeWebSocket(/\/gun$/, (ws) => {
      if (relayReachable) {
        ws.connectToServer();
      }
    });
    await page.goto(relay.http + '/health');
    await page.evaluate(async ([ws, s]) => {
      const { Soulgraph: Client } = await import('/soulgraph.js');
      window.db = new Client({ peers: [ws], store: 'indexeddb', name: 'outbox-test' });
      window.db.get(s).put({ note: 'queued in IndexedDB' }).catch(() => {});
      await new Promise((r) => setTimeout(r, 300));
    }, [relay.ws, soul]);
    assert.equal(await page.evaluate(() => window.db.queued), 1);
    relayReachable = true;
    await page.reload();
    await page.evaluate(async (ws) => {
      const { Soulgraph: Client } = await import('/soulgraph.js');
      window.db = new Client({ peers: [ws], store: 'indexeddb', name: 'outbox-test' });
      await window.db.ready;
    }, relay.ws);
    await eventually(() => page.evaluate(() => window.db.queued === 0),
      'the restored write to be acked', 15000);
    const reader = new Soulgraph({ peers: [relay.ws], store: 'memory' });
    try {
      assert.equal(await reader.get(soul).get('note').once(), 'queued in IndexedDB');
    } finally {
      reader.close();
    }
  } finally {
    await context.close();
  }
});

test('demoApp_twoPages_shareTodosLive', { timeout: 60000 }, async () => {
  const list = Math.random().toString(36).slice(2);
  const url = `${relay.http}/?list=${list}`;
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
    await Promise.all([a.goto(url), b.goto(url)]);
    await a.fill('#new-todo', 'buy milk');
    await a.click('#add-todo');
    await b.locator('#todos li', { hasText: 'buy milk' }).waitFor({ timeout: 15000 });
    await b.locator('#todos li', { hasText: 'buy milk' }).locator('.done-box').check();
    await a.locator('#todos li.done', { hasText: 'buy milk' }).waitFor({ timeout: 15000 });
    await b.fill('#new-todo', 'walk dog');
    await b.click('#add-todo');
    await a.locator('#todos li', { hasText: 'walk dog' }).waitFor({ timeout: 15000 });
    await a.locator('#todos li', { hasText: 'walk dog' }).locator('.delete').click();
    await eventually(async () => (await b.locator('#todos li').count()) === 1,
      'the deletion to reach page b', 15000);
    await b.locator('#fields tbody tr').first().waitFor({ timeout: 15000 });
    const inspected = await b.locator('#fields tbody tr').count();
    assert.equal(inspected, 2, 'the inspector lists both set entries of the list node');
    await b.locator('#fields .link').first().click();
    await b.locator('#fields tbody tr[data-field="title"]').waitFor({ timeout: 15000 });
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
