// Starts the relay under test, in ONE place: our relay jar when SOULGRAPH_RELAY_JAR is set,
// otherwise GunDB's own relay from npm (test/gun-relay.cjs). Also a TCP proxy that can cut every
// connection, to take clients offline and back.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 60000;

/** Which relay the tests run against. */
export const relayKind = process.env.SOULGRAPH_RELAY_JAR ? 'soulgraph' : 'gun';

/**
 * @returns {Promise<{port: number, http: string, ws: string, stop: () => Promise<void>}>}
 */
export async function startRelay() {
  const jar = process.env.SOULGRAPH_RELAY_JAR;
  if (jar && !fs.existsSync(jar)) {
    throw new Error(`Expected the relay jar at SOULGRAPH_RELAY_JAR=${jar} but it is missing; `
      + 'build it with: mvn -q -pl relay -am package -DskipTests');
  }
  const child = jar
    ? spawn('java', ['-jar', jar, '--host', '127.0.0.1', '--port', '0', '--storage', 'inmemory',
      '--no-gremlin', '--no-libp2p'], // those listen on fixed ports; tests use free ones only
    { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [path.join(here, 'gun-relay.cjs')],
      { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await readPort(child);
  await waitHealthy(port);
  console.error(`relay under test: ${jar ? `Soulgraph (${jar})` : 'GunDB npm relay'} on ${port}`);
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(undefined);
      return;
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(killer); resolve(undefined); });
    child.kill('SIGTERM');
  });
  return { port, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/gun`, stop };
}

/**
 * The relay is quiet at INFO once started; what it says at WARN or ERROR (with the stack that
 * follows) goes to the test output, so a failure's cause on the relay side is in the CI log.
 * @param {import('node:stream').Readable} stream
 */
function forwardWarnings(stream) {
  let echoing = false;
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (/^\d\d:\d\d:\d\d\.\d+ /.test(line)) {
        echoing = / (WARN|ERROR) /.test(line);
      }
      if (echoing) {
        process.stderr.write(`[relay] ${line}\n`);
      }
    }
  });
}

function readPort(child) {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('Expected the relay to print its port within 60 s but it printed:\n' + log));
    }, START_TIMEOUT_MS);
    const onData = (chunk) => {
      log += chunk;
      const match = /(?:127\.0\.0\.1|localhost|port)[:= ]+(\d{2,5})/i.exec(log);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        forwardWarnings(child.stdout);
        forwardWarnings(child.stderr);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Expected the relay to run but it exited with ${code}:\n${log}`));
    });
  });
}

async function waitHealthy(port) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) {
        return;
      }
    } catch (e) {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`Expected /health on port ${port} to answer within 60 s`);
}

/**
 * A TCP proxy to the relay. `cut()` drops every connection and refuses new ones until
 * `restore()`.
 * @param {number} targetPort
 */
export async function startProxy(targetPort) {
  const sockets = new Set();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    port,
    ws: `ws://127.0.0.1:${port}/gun`,
    cut() {
      refusing = true;
      sockets.forEach((socket) => socket.destroy());
    },
    restore() {
      refusing = false;
    },
    close: () => new Promise((resolve) => {
      refusing = true;
      sockets.forEach((socket) => socket.destroy());
      server.close(() => resolve(undefined));
    }),
  };
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until it returns a truthy value.
 * @template T
 * @param {() => T | Promise<T>} probe
 * @param {string} what described in the timeout error
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function eventually(probe, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) {
      return last;
    }
    await sleep(25);
  }
  throw new Error(`Expected ${what} within ${timeoutMs} ms; last saw ${JSON.stringify(last)}`);
}
