// Headless Chromium: user accounts across pages. A user signs up on one page and signs in on a
// second; the second edits the profile and the first sees it; a third page without the key
// cannot change it. A certificate issued on one page lets another write into the owner's inbox, and
// nowhere else.
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

test('certificate_issuedOnOnePage_letsAnotherWriteIntoTheOwnersInbox_onlyThere', {
  timeout: 120000,
}, async () => {
  const owner = await clientPage();
  const writer = await clientPage();
  try {
    const bobPub = await writer.page.evaluate((pass) => window.db.user()
      .create('bob' + Math.random().toString(36).slice(2, 10), pass).then((is) => is.pub), PASS);
    const [annPub, cert] = await owner.page.evaluate(async ([pass, bob]) => {
      const { SEA } = await import('/soulgraph.js');
      const user = window.db.user();
      const { pub } = await user.create('ann' + Math.random().toString(36).slice(2, 10), pass);
      window.inbox = [];
      window.db.user(pub).get('inbox').get(bob).on((note) => window.inbox.push(note));
      return [pub, await SEA.certify(bob, { '*': 'inbox', '+': '*' }, user.keys())];
    }, [PASS, bobPub]);

    await writer.page.evaluate(([ann, bob, c]) => window.db.get('~' + ann).get('inbox').get(bob)
      .put('a note from bob', { cert: c }), [annPub, bobPub, cert]);
    await eventually(() => owner.page.evaluate(() => window.inbox.includes('a note from bob')),
      'the owner\'s page to see the certified write, verified', 15000);
    const outside = await writer.page.evaluate(([ann, c]) => window.db.get('~' + ann)
      .get('profile').get('name').put('Mallory', { cert: c })
      .then(() => 'accepted', (error) => String(error.message)), [annPub, cert]);
    assert.match(outside, /Certificate verification fail/);
  } finally {
    await owner.context.close();
    await writer.context.close();
  }
});
