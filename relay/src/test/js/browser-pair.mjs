// Two headless Chromium pages (Debian's /usr/bin/chromium via playwright-core), one on each of
// two relays, each running the bundled Soulgraph client (/soulgraph.js) against its own relay.
// Usage: node browser-pair.mjs <http url of relay A> <http url of relay B>
// Prints one JSON line per step ({"step":..., "ok":true|false, ...}) and exits 0 when all passed.
import { chromium } from 'playwright-core';

const [httpA, httpB] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_MS = 30000;
const soul = `browser-pair/${Math.random().toString(36).slice(2)}`;
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
setTimeout(() => { print({ step: 'all', ok: false, error: 'timed out after 150 s' }); process.exit(3); }, 150000);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });

/** A page on the relay at http, in its own context, with window.db on that relay and a live view. */
async function clientPage (http) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(http + '/health');
  await page.evaluate(async ({ ws, s }) => {
    const { Soulgraph } = await import('/soulgraph.js');
    window.db = new Soulgraph({ peers: [ws], store: 'memory' });
    window.seen = {};
    window.db.get(s).on((node) => { for (const [k, v] of Object.entries(node)) if (k !== '_') window.seen[k] = v; });
  }, { ws: http.replace(/^http/, 'ws') + '/gun', s: soul });
  return { context, page };
}

/** Waits until the page's live view has field = value; returns whether it did in time. */
async function sees (page, field, value) {
  try {
    await page.waitForFunction(([f, v]) => window.seen[f] === v, [field, value], { timeout: STEP_MS, polling: 100 });
    return true;
  } catch {
    return false;
  }
}

let failed = false;
const step = (name, ok, extra = {}) => { failed ||= !ok; print({ step: name, ok, ...extra }); };
try {
  const a = await clientPage(httpA);
  const b = await clientPage(httpB);
  await a.page.evaluate(([s]) => window.db.get(s).put({ fromA: 'written on A' }), [soul]);
  step('A writes, B sees it live', await sees(b.page, 'fromA', 'written on A'));
  await b.page.evaluate(([s]) => window.db.get(s).put({ fromB: 'written on B' }), [soul]);
  step('B writes, A sees it live', await sees(a.page, 'fromB', 'written on B'));
  await a.page.evaluate(([s]) => window.db.get(s).put({ fromA: 'changed on A' }), [soul]);
  step('A changes it, B sees the change live', await sees(b.page, 'fromA', 'changed on A'));
  await b.page.reload();
  await b.page.evaluate(async ({ ws, s }) => {
    const { Soulgraph } = await import('/soulgraph.js');
    window.db = new Soulgraph({ peers: [ws], store: 'memory' });
    window.seen = {};
    window.db.get(s).on((node) => { for (const [k, v] of Object.entries(node)) if (k !== '_') window.seen[k] = v; });
  }, { ws: httpB.replace(/^http/, 'ws') + '/gun', s: soul });
  step('B reloaded shows what A wrote', await sees(b.page, 'fromA', 'changed on A')
    && await sees(b.page, 'fromB', 'written on B'));
  await a.context.close();
  await b.context.close();
} catch (error) {
  step('all', false, { error: String(error) });
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
