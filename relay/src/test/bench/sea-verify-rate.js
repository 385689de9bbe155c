// Context for the SEA benchmarks: how many P-256 SEA field signatures one core verifies per
// second with Node's OpenSSL (what GunDB's relay, via @peculiar/webcrypto, sits on), the same
// work the JMH SeaVerifyBenchmark measures for the JDK. Usage: node sea-verify-rate.js [seconds]
'use strict';
const crypto = require('crypto');

const seconds = Number(process.argv[2] || 5);
const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const fields = [];
for (let i = 0; i < 64; i++) {
  const text = JSON.stringify({ '#': '~pub/profile' + i, '.': 'name', ':': 'Alice ' + i,
    '>': 1795287978641 + i });
  const digest = crypto.createHash('sha256').update(text).digest();
  const signature = crypto.sign('sha256', digest, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  fields.push({ text, signature });
}
const verifyAll = (until) => {
  let n = 0;
  while (Date.now() < until) {
    const field = fields[n++ & 63];
    const digest = crypto.createHash('sha256').update(field.text).digest();
    if (!crypto.verify('sha256', digest, { key: publicKey, dsaEncoding: 'ieee-p1363' },
      field.signature)) throw new Error('expected a valid signature');
  }
  return n;
};
verifyAll(Date.now() + 1000); // warm-up
const start = Date.now();
const n = verifyAll(start + seconds * 1000);
console.log(JSON.stringify({ verifiesPerSecond: Math.round(n / ((Date.now() - start) / 1000)) }));
