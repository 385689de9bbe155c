// The demo's graph inspector in headless Chromium: it draws the inspected node and its
// neighbourhood (checked in cytoscape's model and in a screenshot's pixels), follows changes live,
// walks the graph on a click, says "not found"; and the demo page is clean: an empty state for
// the todo list, no sideways scrolling at phone width, no console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startRelay, eventually } from '../harness.js';
import { Soulgraph } from '../../src/soulgraph.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..',
  'target', 'screenshots');
const NODE_COLOURS = { inspected: [0xe8, 0x59, 0x0c], other: [0x5b, 0x8d, 0xef] };
const EDGE_COLOUR = [0x9a, 0xa5, 0xb8];

let relay;
let browser;
let writer;
const id = () => Math.random().toString(36).slice(2);

before(async () => {
  relay = await startRelay();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });
  writer = new Soulgraph({ peers: [relay.ws], store: 'memory' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  writer?.close();
  await browser?.close();
  await relay?.stop();
});

/** The demo page, with every console error, page error and failed request collected. */
async function demoPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`${response.status()}: ${response.url()}`);
    }
  });
  await page.goto(`${relay.http}/?list=${id()}`);
  await page.waitForFunction(() => window.inspector?.cy, null, { timeout: 20000 });
  return { context, page, problems };
}

async function inspect(page, soul) {
  await page.fill('#soul', soul);
  await page.press('#soul', 'Enter');
}

/** What cytoscape holds: node labels by soul, and edges as "source -label-> target". */
function drawing(page) {
  return page.evaluate(() => {
    const cy = window.inspector.cy;
    return {
      nodes: Object.fromEntries(cy.nodes().map((n) => [n.id(), n.data('label')])),
      edges: cy.edges().map((e) => `${e.source().id()} -${e.data('label')}-> ${e.target().id()}`)
        .sort(),
    };
  });
}

/** Writes alice -friend-> bob -friend-> alice, alice -city-> oslo; returns the souls. */
async function smallGraph() {
  const base = `inspector/${id()}`;
  const souls = { alice: `${base}/alice`, bob: `${base}/bob`, oslo: `${base}/oslo` };
  await writer.get(souls.oslo).put({ name: 'Oslo', country: 'NO' });
  await writer.get(souls.bob).put({ name: 'Bob', friend: { '#': souls.alice } });
  await writer.get(souls.alice).put({ name: 'Alice', age: 33, friend: { '#': souls.bob },
    city: { '#': souls.oslo } });
  return souls;
}

/**
 * Pixels of a screenshot of the graph, read back in the page: the colour at each node's centre
 * and the colours around a point on each edge.
 */
async function drawnPixels(page, png) {
  return page.evaluate(async (base64) => {
    const cy = window.inspector.cy;
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    g.drawImage(image, 0, 0);
    const at = (x, y) => [...g.getImageData(Math.round(x), Math.round(y), 1, 1).data].slice(0, 3);
    const around = (x, y) => {
      const found = [];
      for (let dx = -3; dx <= 3; dx++) {
        for (let dy = -3; dy <= 3; dy++) {
          found.push(at(x + dx, y + dy));
        }
      }
      return found;
    };
    return {
      width: image.width,
      nodes: Object.fromEntries(cy.nodes().map((n) => {
        const p = n.renderedPosition();
        return [n.id(), { x: p.x, y: p.y, colour: at(p.x, p.y) }];
      })),
      // Between each edge's start and its midpoint (close to the curve, away from the nodes and
      // from the label in the middle).
      edges: cy.edges().map((e) => {
        const s = e.renderedSourceEndpoint();
        const m = e.renderedMidpoint();
        return { id: e.id(), near: around(s.x + (m.x - s.x) * 0.4, s.y + (m.y - s.y) * 0.4) };
      }),
    };
  }, png.toString('base64'));
}

const close = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 40);

test('inspector_drawsNodeAndNeighbours_live_andWalksOnClick', { timeout: 90000 }, async () => {
  const souls = await smallGraph();
  const { context, page, problems } = await demoPage({ viewport: { width: 1200, height: 900 } });
  try {
    await inspect(page, souls.alice);
    await eventually(async () => (await drawing(page)).edges.length === 3,
      'the inspector to draw alice, her two links and bob\'s link back', 20000);
    assert.deepEqual(await drawing(page), {
      nodes: { [souls.alice]: 'Alice', [souls.bob]: 'Bob', [souls.oslo]: 'Oslo' },
      edges: [`${souls.alice} -city-> ${souls.oslo}`, `${souls.alice} -friend-> ${souls.bob}`,
        `${souls.bob} -friend-> ${souls.alice}`].sort(),
    });
    assert.equal(await page.locator('#fields tbody tr').count(), 4, 'the field table beside it');

    const png = await page.locator('#graph').screenshot({
      path: path.join(SCREENSHOTS, 'inspector-graph.png') });
    const pixels = await drawnPixels(page, png);
    assert.ok(close(pixels.nodes[souls.alice].colour, NODE_COLOURS.inspected),
      `alice drawn in the inspected colour: ${pixels.nodes[souls.alice].colour}`);
    for (const soul of [souls.bob, souls.oslo]) {
      assert.ok(close(pixels.nodes[soul].colour, NODE_COLOURS.other),
        `${soul} drawn as a node: ${pixels.nodes[soul].colour}`);
    }
    for (const edge of pixels.edges) {
      assert.ok(edge.near.some((colour) => close(colour, EDGE_COLOUR)),
        `edge ${edge.id} drawn as a line`);
    }

    // Live: a link added elsewhere appears in the drawing.
    const rex = `${souls.alice}/pet`;
    await writer.get(souls.alice).put({ pet: { name: 'Rex' } });
    await eventually(async () => (await drawing(page)).nodes[rex] === 'Rex',
      'the new neighbour to be drawn', 15000);
    assert.ok((await drawing(page)).edges.includes(`${souls.alice} -pet-> ${rex}`));
    await page.locator('#graph').screenshot({
      path: path.join(SCREENSHOTS, 'inspector-graph-live.png') });

    // Walk: clicking Bob's node inspects Bob.
    const box = await page.locator('#graph').boundingBox();
    const bob = await page.evaluate((soul) =>
      window.inspector.cy.getElementById(soul).renderedPosition(), souls.bob);
    await page.mouse.click(box.x + bob.x, box.y + bob.y);
    await eventually(() => page.evaluate(() => window.inspector.current), 'a walk', 10000);
    await eventually(async () => (await page.inputValue('#soul')) === souls.bob,
      'the click on Bob to inspect Bob', 10000);
    await page.locator('#fields tbody tr[data-field="friend"]').waitFor({ timeout: 10000 });
    await eventually(async () => {
      const drawn = await drawing(page);
      return drawn.nodes[souls.bob] === 'Bob' && drawn.nodes[souls.alice] === 'Alice'
        && drawn.edges.includes(`${souls.bob} -friend-> ${souls.alice}`);
    }, 'Bob\'s neighbourhood to be drawn', 10000);
    assert.deepEqual(problems, [], 'no console errors or failed requests');
  } finally {
    await context.close();
  }
});

test('inspector_soulTheRelayDoesNotHave_saysNotFound', { timeout: 60000 }, async () => {
  const { context, page } = await demoPage();
  try {
    const missing = `inspector/missing/${id()}`;
    await inspect(page, missing);
    await eventually(async () => /not found/.test(await page.textContent('#inspected')),
      'the inspector to say not found', 15000);
    assert.equal(await page.locator('#fields tbody tr').count(), 0);
    assert.deepEqual((await drawing(page)).nodes, { [missing]: missing });
  } finally {
    await context.close();
  }
});

test('todoList_empty_saysSo_untilATodoIsAdded', { timeout: 60000 }, async () => {
  const { context, page, problems } = await demoPage();
  try {
    await page.locator('#todos-empty').waitFor({ state: 'visible', timeout: 10000 });
    await page.fill('#new-todo', 'water the plants');
    await page.click('#add-todo');
    await page.locator('#todos li', { hasText: 'water the plants' }).waitFor({ timeout: 15000 });
    assert.equal(await page.locator('#todos-empty').isVisible(), false);
    assert.deepEqual(problems, [], 'no console errors or failed requests (favicon included)');
  } finally {
    await context.close();
  }
});

test('demo_atPhoneWidth_hasNoSidewaysScrolling', { timeout: 60000 }, async () => {
  const souls = await smallGraph();
  const { context, page, problems } = await demoPage({ viewport: { width: 390, height: 844 },
    isMobile: true, hasTouch: true });
  try {
    await page.fill('#new-todo', 'a todo with a rather long title that must wrap on a phone');
    await page.click('#add-todo');
    await page.locator('#todos li').first().waitFor({ timeout: 15000 });
    await inspect(page, souls.alice);
    await eventually(async () => (await drawing(page)).edges.length === 3, 'the drawing', 20000);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-390px.png'), fullPage: true });
    const widths = await page.evaluate(() => ({
      viewport: document.documentElement.clientWidth,
      content: document.documentElement.scrollWidth,
    }));
    assert.ok(widths.content <= widths.viewport,
      `no sideways scrolling at 390 px: content ${widths.content} px wide`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
