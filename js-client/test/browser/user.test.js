// Headless Chromium: user accounts across pages. A user signs up on one page and signs in on a
// second; the second edits the profile and the first sees it; a third page without the key
// cannot change it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startRelay, eventually } from '../harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASS = 'a long passphrase';

let relay;
let browser;

before(async () => {
  relay = await startRelay();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });
});

after(async () => {
  await browser?.close();
  await relay?.stop();
});

/** A page in its own context (own storage) with a Soulgraph client as window.db. */
async function clientPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(relay.http + '/health');
  await page.evaluate(async (ws) => {
    const { Soulgraph } = await import('/soulgraph.js');
    window.db = new Soulgraph({ peers: [ws], store: 'indexeddb', name: 'user-test' });
    await window.db.ready;
  }, relay.ws);
  return { context, page };
}

test('signUpOnOnePage_signInOnAnother_profileEditSeen_pageWithoutKeyRefused', {
  timeout: 120000,
}, async () => {
  const alias = 'ann' + Math.random().toString(36).slice(2, 10);
  const a = await clientPage();
  const b = await clientPage();
  const c = await clientPage();
  try {
    const pub = await a.page.evaluate(async ([name, pass]) => {
      const { pub } = await window.db.user().create(name, pass);
      await window.db.user().get('profile').put({ name: 'Ann', city: 'Oslo' });
      window.seen = [];
      window.db.user(pub).get('profile').get('city').on((city) => window.seen.push(city));
      return pub;
    }, [alias, PASS]);

    await eventually(() => b.page.evaluate(([name, pass]) => window.db.user()
      .auth(name, pass, { remember: true }).then((is) => is.pub, () => null), [alias, PASS])
      .then((got) => got === pub),
    'page B to sign in with the alias and password', 30000);
    await b.page.evaluate(() => window.db.user().get('profile').get('city').put('Bergen'));
    await eventually(() => a.page.evaluate(() => window.seen.includes('Bergen')),
      'page A to see the profile edit made on page B', 15000);

    await b.page.reload(); // the session survives a reload: recall() signs in from sessionStorage
    const recalled = await b.page.evaluate(async (ws) => {
      const { Soulgraph } = await import('/soulgraph.js');
      window.db = new Soulgraph({ peers: [ws], store: 'indexeddb', name: 'user-test' });
      const restored = await window.db.user().recall({ sessionStorage: true });
      return restored && window.db.user().is?.pub;
    }, relay.ws);
    assert.equal(recalled, pub);

    const refused = await c.page.evaluate((p) => window.db.get('~' + p).get('profile')
      .get('city').put('Hacked').then(() => 'accepted', (error) => String(error.message)), pub);
    assert.match(refused, /Unverified data/);
    assert.equal(await c.page.evaluate((p) => window.db.user(p).get('profile').get('city').once(),
      pub), 'Bergen', 'the forgery never entered the page without the key');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await a.page.evaluate(() => window.seen.includes('Hacked')), false);
    assert.equal(await a.page.evaluate((p) => window.db.user(p).get('profile').get('city').once(),
      pub), 'Bergen');
  } finally {
    await a.context.close();
    await b.context.close();
    await c.context.close();
  }
});
