// Two js-libp2p nodes in one process on loopback, for the side-by-side benchmark:
//   node bench.mjs <rounds> <MiB per round> <handshakes per round>
// prints {"event":"bench","handshakesPerSec":[...],"mibPerSec":[...]}, one value per round.
import './polyfill.mjs'
import { startNode } from './peer.mjs'

const SINK = '/soulgraph/sink/1.0.0'
const [rounds, mib, handshakes] = process.argv.slice(2).map(Number)

// No connection-monitor pings during measurements (one per minute at most).
const a = await startNode(60000)
const b = await startNode(60000)
let expect = 0
let done = null
await b.handle(SINK, async (stream) => {
  let got = 0
  for await (const chunk of stream) {
    got += chunk.byteLength
    if (got >= expect) done()
  }
})
const maB = b.getMultiaddrs()[0]

async function throughput () {
  expect = mib * 1024 * 1024
  const finished = new Promise((resolve) => { done = resolve })
  const stream = await a.dialProtocol(maB, SINK)
  const chunk = new Uint8Array(64 * 1024)
  const start = process.hrtime.bigint()
  for (let sent = 0; sent < expect; sent += chunk.byteLength) {
    if (!stream.send(chunk)) await stream.onDrain()
  }
  await finished
  const secs = Number(process.hrtime.bigint() - start) / 1e9
  await stream.close()
  return mib / secs
}

async function handshakeRate () {
  await a.hangUp(b.peerId)
  const start = process.hrtime.bigint()
  for (let i = 0; i < handshakes; i++) {
    const conn = await a.dial(maB, { force: true })
    await conn.close()
  }
  return handshakes / (Number(process.hrtime.bigint() - start) / 1e9)
}

const result = { event: 'bench', handshakesPerSec: [], mibPerSec: [] }
await throughput() // warm-up
await handshakeRate()
for (let r = 0; r < rounds; r++) {
  result.mibPerSec.push(await throughput())
  result.handshakesPerSec.push(await handshakeRate())
}
process.stdout.write(JSON.stringify(result) + '\n')
await a.stop()
await b.stop()
process.exit(0)
