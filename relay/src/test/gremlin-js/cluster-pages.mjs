// Two headless Chromium pages, each on its own relay (relays sharing one Cassandra cluster), using
// the relay's bundled client /soulgraph.js with an in-memory replica (nothing survives a reload
// but what the relays serve). Page A writes, page B must see it live, and the other way round;
// then both pages reload and read the node from their relay.
// Usage: node cluster-pages.mjs <http-a> <ws-a> <http-b> <ws-b> <soul>
// Prints one JSON object: {aToB: {millis, value}, bToA: {...}, reloadedA: node, reloadedB: node}.
import { chromium } from 'playwright-core';

const [httpA, wsA, httpB, wsB, soul] = process.argv.slice(2);
const LIVE_WAIT_MS = 15000;
const deadline = setTimeout(() => {
  console.error('cluster-pages: timed out after 120 s');
  process.exit(2);
}, 120_000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  timeout: 60000,
});

/** A page served by the relay at http, its client connected to ws, subscribed to the soul. */
async function open(http, ws) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(`${http}/health`);
  await page.evaluate(async ([url, s]) => {
    const { Soulgraph } = await import('/soulgraph.js');
    window.db = new Soulgraph({ peers: [url], store: 'memory' });
    await window.db.ready;
    window.seen = [];
    window.db.get(s).on((value) => window.seen.push({ at: Date.now(), value }));
  }, [ws, soul]);
  return { context, page };
}

/** Puts {field: value} through `writer` and waits until `watcher` has seen it; in ms. */
async function liveEdit(writer, watcher, field, value) {
  const t0 = Date.now();
  await writer.page.evaluate(([s, f, v]) => window.db.get(s).put({ [f]: v }), [soul, field, value]);
  const seen = await watcher.page.evaluate(([f, v, wait]) => new Promise((resolve) => {
    const started = Date.now();
    const check = () => {
      const hit = window.seen.find((e) => e.value && e.value[f] === v);
      if (hit) resolve({ at: hit.at, value: hit.value[f] });
      else if (Date.now() - started > wait) resolve({ at: null, value: null });
      else setTimeout(check, 20);
    };
    check();
  }), [field, value, LIVE_WAIT_MS]);
  return { millis: seen.at === null ? null : seen.at - t0, value: seen.value };
}

/** Reloads the page and reads the node from the relay with a new client. */
async function reloadAndRead({ page }, ws) {
  await page.reload();
  return page.evaluate(async ([url, s]) => {
    const { Soulgraph } = await import('/soulgraph.js');
    const db = new Soulgraph({ peers: [url], store: 'memory' });
    await db.ready;
    const value = await db.get(s).once();
    return value === undefined ? null : { fromA: value.fromA ?? null, fromB: value.fromB ?? null };
  }, [ws, soul]);
}

const result = {};
try {
  const a = await open(httpA, wsA);
  const b = await open(httpB, wsB);
  result.aToB = await liveEdit(a, b, 'fromA', 'written on relay A');
  result.bToA = await liveEdit(b, a, 'fromB', 'written on relay B');
  result.reloadedA = await reloadAndRead(a, wsA);
  result.reloadedB = await reloadAndRead(b, wsB);
  await a.context.close();
  await b.context.close();
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  clearTimeout(deadline);
}
