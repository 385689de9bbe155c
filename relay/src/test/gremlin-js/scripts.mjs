// Submits each script with the npm gremlin client (GraphSON 3) and prints one JSON array: per
// script {"ok": results} or {"error": message}. Usage: node scripts.mjs <ws-url> <script>...
import gremlin from 'gremlin';

const [url, ...scripts] = process.argv.slice(2);
const deadline = setTimeout(() => {
  console.error('scripts: timed out after 60 s');
  process.exit(2);
}, 60_000);

const plain = (value) => (value instanceof Map ? Object.fromEntries(
  [...value].map(([k, v]) => [String(k), plain(v)])) : Array.isArray(value) ? value.map(plain) : value);

const client = new gremlin.driver.Client(url, {
  mimeType: 'application/vnd.gremlin-v3.0+json', traversalSource: 'g' });
try {
  const out = [];
  for (const script of scripts) {
    try {
      out.push({ ok: plain((await client.submit(script)).toArray()) });
    } catch (e) {
      out.push({ error: String(e && e.message ? e.message : e) });
    }
  }
  console.log(JSON.stringify(out));
} finally {
  await client.close();
  clearTimeout(deadline);
}
