// Writes, into the directory given as the first argument (default ../target/bundle):
//   soulgraph.bundle.js  the client (src/) in one classic script that defines `Soulgraph`
//   cytoscape.js         the inspector's graph-drawing library as one ES module, so the demo
//                        needs no network beyond the relay
// The relay's build runs this (relay/pom.xml) and serves both files at its web root.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? path.join(here, '..', 'target', 'bundle'));

await esbuild.build({
  entryPoints: [path.join(here, 'script-tag.js')],
  outfile: path.join(outdir, 'soulgraph.bundle.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  // Node's `ws` is only loaded when there is no global WebSocket, never in a browser.
  external: ['ws'],
  logLevel: 'warning',
});

await esbuild.build({
  stdin: { contents: "export { default } from 'cytoscape';", resolveDir: here },
  outfile: path.join(outdir, 'cytoscape.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
console.log(`bundled the client and cytoscape into ${outdir}`);
