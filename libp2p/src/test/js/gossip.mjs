// A real js-libp2p node with @libp2p/gossipsub (and optionally @libp2p/mdns) for the Java
// pubsub interop tests and benchmark. Obeys one command per stdin line and answers with one
// JSON object per stdout line.
//
//   node gossip.mjs [--listen <multiaddr>] [--protocols /meshsub/1.1.0,...] [--mdns]
//                   [--keep-on-ping-failure]
//     (--keep-on-ping-failure: the benchmark's js nodes keep a connection whose keep-alive ping
//      timed out; by default js-libp2p aborts it, which on an overloaded machine cut the js
//      reference pair apart after its first saturating round, with nothing to redial it)
//     dial <multiaddr>             connect; answers {"event":"dialed"}
//     sub <topic>                  subscribe; every message then prints {"event":"message",...}
//                                  (except on topic "bench", see below)
//     pub <topic> <text>           publish UTF-8 text; answers {"event":"published",recipients}
//     mesh <topic>                 answers {"event":"mesh",mesh:[ids],subscribers:[ids]}
//     bench <topic> <count> <size> [rate]
//                                  publish count messages of size bytes, back to back or at
//                                  rate per second, each starting with the send time in epoch
//                                  microseconds (8 bytes)
//     count                        "bench" messages received since the last stats
//     stats                        latency/rate of "bench" messages received since the last stats
//     quit
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub } from '@libp2p/gossipsub'
import { mdns } from '@libp2p/mdns'
import { multiaddr } from '@multiformats/multiaddr'
import readline from 'node:readline'

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const nowMicros = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000))

const args = process.argv.slice(2)
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined }
const listen = opt('--listen') ?? '/ip4/127.0.0.1/tcp/0'
const protocols = opt('--protocols')?.split(',')

const node = await createLibp2p({
  addresses: { listen: [listen] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: args.includes('--mdns') ? [mdns({ interval: 2000 })] : [],
  services: {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      ...(protocols ? { protocols } : {}),
      // Every test peer shares 127.0.0.1: without this js scores them all negative (colocation).
      scoreParams: { IPColocationFactorWeight: 0 },
      allowPublishToZeroTopicPeers: true
    })
  },
  connectionManager: { inboundConnectionThreshold: 1e9, maxIncomingPendingConnections: 1e9 },
  connectionMonitor: { abortConnectionOnPingFailure: !args.includes('--keep-on-ping-failure') }
})
const pubsub = node.services.pubsub

let stats = { count: 0, latencies: [], first: 0, last: 0 }
pubsub.addEventListener('message', (e) => {
  const m = e.detail
  if (m.topic === 'bench') {
    const now = nowMicros()
    const sent = Buffer.from(m.data).readBigInt64BE(0)
    if (stats.count === 0) stats.first = Number(now)
    stats.count++
    stats.last = Number(now)
    stats.latencies.push(Number(now - sent))
    return
  }
  out({ event: 'message', topic: m.topic, data: Buffer.from(m.data).toString('utf8'),
    from: m.from?.toString(), seqno: m.sequenceNumber?.toString() })
})
node.addEventListener('connection:open', (e) => {
  out({ event: 'connection', direction: e.detail.direction, remotePeer: e.detail.remotePeer.toString() })
})
node.addEventListener('connection:close', (e) => {
  out({ event: 'connection-closed', remotePeer: e.detail.remotePeer.toString() })
})
node.addEventListener('peer:discovery', (e) => {
  const id = e.detail.id.toString()
  out({ event: 'discovered', peerId: id, addrs: e.detail.multiaddrs.map((a) => a.toString()) })
  node.dial(e.detail.id).catch((err) => out({ event: 'dial-failed', peerId: id, error: String(err) }))
})

out({ event: 'listening', peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map((a) => a.toString()) })

function pct (sorted, p) { return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0 }

const rl = readline.createInterface({ input: process.stdin })
for await (const line of rl) {
  const [cmd, ...rest] = line.trim().split(/\s+/)
  try {
    if (cmd === 'dial') {
      const c = await node.dial(multiaddr(rest[0]))
      out({ event: 'dialed', remotePeer: c.remotePeer.toString() })
    } else if (cmd === 'sub') {
      pubsub.subscribe(rest[0])
      out({ event: 'subscribed', topic: rest[0] })
    } else if (cmd === 'pub') {
      const r = await pubsub.publish(rest[0], Buffer.from(rest.slice(1).join(' '), 'utf8'))
      out({ event: 'published', recipients: r.recipients.map((p) => p.toString()) })
    } else if (cmd === 'mesh') {
      out({ event: 'mesh', mesh: pubsub.getMeshPeers(rest[0]).map(String),
        subscribers: pubsub.getSubscribers(rest[0]).map(String) })
    } else if (cmd === 'bench') {
      const [topic, count, size, rate] = [rest[0], Number(rest[1]), Number(rest[2]), Number(rest[3] ?? 0)]
      const t0 = performance.now()
      for (let i = 0; i < count; i++) {
        if (rate > 0) {
          const ahead = t0 + (i * 1000) / rate - performance.now()
          if (ahead > 1) await new Promise((resolve) => setTimeout(resolve, ahead))
        }
        const data = Buffer.alloc(size)
        data.writeBigInt64BE(nowMicros(), 0)
        data.writeInt32BE(i, 8)
        await pubsub.publish(topic, data)
      }
      out({ event: 'benched', count, millis: performance.now() - t0 })
    } else if (cmd === 'count') {
      out({ event: 'count', count: stats.count })
    } else if (cmd === 'stats') {
      const sorted = stats.latencies.sort((a, b) => a - b)
      out({ event: 'stats', count: stats.count, p50: pct(sorted, 0.5), p99: pct(sorted, 0.99),
        first: stats.first, last: stats.last })
      stats = { count: 0, latencies: [], first: 0, last: 0 }
    } else if (cmd === 'quit') {
      break
    } else {
      out({ event: 'error', error: 'unknown command ' + cmd })
    }
  } catch (err) {
    out({ event: 'error', error: String(err && err.stack ? err.stack : err) })
  }
}
await node.stop()
process.exit(0)
