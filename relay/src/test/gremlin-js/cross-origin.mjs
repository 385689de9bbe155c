// Opens a page at each given origin in headless Chromium; the page opens the Gremlin WebSocket and
// sends one GraphSON request. Prints one JSON object: per origin, whether the socket opened and
// what came back. Usage: node cross-origin.mjs <ws-url> <page-port> <origin>...
// The pages come from an HTTP server of this script on 127.0.0.1:<page-port>; Chromium resolves
// every origin's host name to 127.0.0.1 (what a DNS-rebinding page gets, and no Local Network
// Access prompt stands in the way), so http://evil.example:<page-port> is a page at another origin.
import http from 'node:http';
import { chromium } from 'playwright-core';

const [url, pagePort, ...origins] = process.argv.slice(2);
const deadline = setTimeout(() => {
  console.error('cross-origin: timed out after 60 s');
  process.exit(2);
}, 60_000);

const page = (wsUrl) => `<!doctype html><title>page</title><script>
// crypto.randomUUID() exists in secure contexts only, and http://evil.example is not one
const uuid = () => 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g,
  () => Math.floor(Math.random() * 16).toString(16));
window.result = new Promise((resolve) => {
  const ws = new WebSocket(${JSON.stringify(wsUrl)});
  ws.binaryType = 'arraybuffer';
  const out = { opened: false };
  const timer = setTimeout(() => resolve({ ...out, timeout: true }), 10000);
  ws.onopen = () => {
    out.opened = true;
    const mime = new TextEncoder().encode('application/vnd.gremlin-v3.0+json');
    const body = new TextEncoder().encode(JSON.stringify({
      requestId: { '@type': 'g:UUID', '@value': uuid() }, op: 'eval', processor: '',
      args: { gremlin: 'g.V().count()', language: 'gremlin-lang' } }));
    const frame = new Uint8Array(1 + mime.length + body.length);
    frame[0] = mime.length; frame.set(mime, 1); frame.set(body, 1 + mime.length);
    ws.send(frame);
  };
  ws.onmessage = (e) => {
    out.reply = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
    clearTimeout(timer); ws.close(); resolve(out);
  };
  ws.onerror = () => { out.error = true; };
  ws.onclose = (e) => { clearTimeout(timer); resolve({ ...out, closeCode: e.code }); };
});
</script>`;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(page(url));
});
await new Promise((resolve) => server.listen(Number(pagePort), '127.0.0.1', resolve));
const hosts = origins.map((o) => `MAP ${new URL(o).hostname} 127.0.0.1`).join(', ');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [`--host-resolver-rules=${hosts}`],
});
const results = {};
try {
  for (const origin of origins) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${origin}/page.html`);
    results[origin] = await tab.evaluate(() => window.result);
    await context.close();
  }
  console.log(JSON.stringify(results));
} finally {
  await browser.close();
  server.close();
  clearTimeout(deadline);
}
