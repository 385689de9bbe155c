// js-client as an npm package: `npm pack` makes a tarball that a fresh project installs, imports
// by name in Node (writing to and reading from the relay under test), and type-checks against the
// bundled TypeScript declarations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startRelay } from '../harness.js';

const run = promisify(execFile);
const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const packageName = JSON.parse(fs.readFileSync(path.join(clientDir, 'package.json'), 'utf8')).name;
const tsc = path.join(clientDir, 'node_modules', 'typescript', 'bin', 'tsc');
const NPM_TIMEOUT_MS = 120000;

let relay;
let app;

before(async () => {
  relay = await startRelay();
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'soulgraph-package-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', app],
    { cwd: clientDir, timeout: NPM_TIMEOUT_MS });
  const tarball = path.join(app, JSON.parse(stdout.slice(stdout.indexOf('[')))[0].filename);
  fs.writeFileSync(path.join(app, 'package.json'),
    JSON.stringify({ name: 'users-app', version: '1.0.0', private: true, type: 'module' }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball],
    { cwd: app, timeout: NPM_TIMEOUT_MS });
});

after(async () => {
  await relay?.stop();
  if (app) {
    fs.rmSync(app, { recursive: true, force: true });
  }
});

test('npmPack_holdsSourcesAndDeclarationsOnly', () => {
  const installed = path.join(app, 'node_modules', packageName);
  assert.ok(fs.existsSync(path.join(installed, 'src', 'soulgraph.js')));
  assert.ok(fs.existsSync(path.join(installed, 'types', 'soulgraph.d.ts')));
  assert.ok(!fs.existsSync(path.join(installed, 'test')), 'tests are not shipped');
  assert.ok(!fs.existsSync(path.join(installed, 'app')), 'the demo is not shipped');
});

test('installedPackage_importedByName_writesAndReadsThroughRelay', { timeout: 30000 }, async () => {
  const script = `
    import { Soulgraph } from '${packageName}';
    const soul = 'package/' + Math.random().toString(36).slice(2);
    const writer = new Soulgraph({ peers: [process.argv[2]] });
    await writer.get(soul).put({ name: 'from the npm package' });
    const reader = new Soulgraph({ peers: [process.argv[2]] });
    console.log(await reader.get(soul).get('name').once());
    writer.close();
    reader.close();
  `;
  fs.writeFileSync(path.join(app, 'use.mjs'), script);
  const { stdout } = await run(process.execPath, ['use.mjs', relay.ws],
    { cwd: app, timeout: 20000 });
  assert.equal(stdout.trim(), 'from the npm package');
});

test('declarations_typeCheckAUsersTypeScript', { timeout: 60000 }, async () => {
  fs.writeFileSync(path.join(app, 'use.ts'), `
    import { Soulgraph, Chain } from '${packageName}';
    const db: Soulgraph = new Soulgraph({ peers: ['ws://127.0.0.1:8765/gun'], store: 'memory' });
    const chain: Chain = db.get('alice').get('name');
    const queued: number = db.queued;
    const done: Promise<void> = chain.put('Alice');
    // @ts-expect-error peers are strings: the declarations must reject this
    new Soulgraph({ peers: [42] });
    export { queued, done };
  `);
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext',
      moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [] },
    files: ['use.ts'],
  }));
  try {
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, timeout: 60000 });
  } catch (failure) {
    assert.fail(`Expected the declarations to type-check use.ts but tsc said:\n${failure.stdout}`);
  }
});
