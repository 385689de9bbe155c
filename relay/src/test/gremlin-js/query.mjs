// Queries a Gremlin endpoint with the npm gremlin client and prints one JSON object of results.
// Usage: node query.mjs <ws-url> <soul> <link-field>
import gremlin from 'gremlin';

const [url, soul, linkField] = process.argv.slice(2);
const { DriverRemoteConnection } = gremlin.driver;
const { traversal } = gremlin.process.AnonymousTraversalSource;
const mimeType = 'application/vnd.gremlin-v3.0+json';

const deadline = setTimeout(() => {
  console.error('gremlin interop: timed out after 60 s');
  process.exit(2);
}, 60_000);

async function attempt(run) {
  try {
    return { ok: await run() };
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
}

const connection = new DriverRemoteConnection(url, { mimeType });
const client = new gremlin.driver.Client(url, { mimeType, traversalSource: 'g' });
const g = traversal().withRemote(connection);
const __ = gremlin.process.statics;
try {
  const results = {
    name: await attempt(() => g.V().has('soul', soul).values('name').toList()),
    linked: await attempt(() => g.V().has('soul', soul).out(linkField).values('soul').toList()),
    count: await attempt(async () => (await g.V().count().next()).value),
    keys: await attempt(async () => {
      const map = (await g.V().has('soul', soul).valueMap().next()).value;
      return [...map.keys()].sort();
    }),
    edgeLabel: await attempt(async () => (await g.E().limit(1).next()).value.label),
    script: await attempt(async () => {
      const rs = await client.submit(`g.V().has('soul','${soul}').values('soul')`);
      return rs.toArray();
    }),
    // what a newcomer types first, expecting what TinkerGraph would show
    valueMapTrue: await attempt(async () => {
      const map = (await g.V().has('soul', soul).valueMap(true).next()).value;
      return [...map.keys()].map((k) => (typeof k === 'string' ? k : `T.${k.elementName}`)).sort();
    }),
    countAll: await attempt(async () => (await g.V().count().next()).value),
    labels: await attempt(() => g.V().label().dedup().toList()),
    edgeLabels: await attempt(() => g.E().label().dedup().toList()),
    noSuchKey: await attempt(() => g.V().values('nosuchkey').toList()),
    hasNoSuchKey: await attempt(() => g.V().has('nosuchkey', 'x').toList()),
    scriptNoSuchKey: await attempt(async () => (await client.submit("g.V().values('nosuchkey')")).toArray()),
    mutation: await attempt(() => g.addV('node').property('soul', 'intruder').iterate()),
    groovy: await attempt(async () => (await client.submit('"id".execute().text')).toArray()),
    intruders: await attempt(async () => (await g.V().has('soul', 'intruder').count().next()).value),
  };
  console.log(JSON.stringify(results));
} finally {
  await connection.close();
  await client.close();
  clearTimeout(deadline);
}
