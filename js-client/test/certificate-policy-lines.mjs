// One line in, one line out: {data, certificant, soul, key, value, state} as JSON, answered with
// the JS client's certificate policy verdict ({"error": text or null}). The relay's
// CertificatePolicyParityTest feeds it generated cases and compares with the Java policy.
import readline from 'node:readline';
import { policyError } from '../src/certificate.js';

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const c = JSON.parse(line);
  const error = policyError(c.data, c.certificant, c.soul, c.key, c.value, c.state);
  process.stdout.write(JSON.stringify({ error }) + '\n');
});
