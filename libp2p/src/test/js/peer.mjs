// A real js-libp2p peer for the Java interop tests and benchmark.
//
//   node peer.mjs listen             listen on 127.0.0.1:0, serve /soulgraph/echo/1.0.0, then
//                                    obey commands on stdin (one per line), answer on stdout
//                                    with one JSON object per line:
//     check <multiaddr>              dial it, wait for identify, ping, echo; report what we saw
//     quit
//   node peer.mjs peerid <hex seed>  print the peer id of an Ed25519 seed (test vector)
//
// Inbound connections are reported as {"event":"connection",...} lines.
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import readline from 'node:readline'

export const ECHO = '/soulgraph/echo/1.0.0'

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

export async function startNode (monitorMs = 1000) {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // The 1 s connection monitor also opens ping streams; allow ours to overlap with it.
    services: { identify: identify(), ping: ping({ maxOutboundStreams: 4 }) },
    // Ping every connection often, so a test sees js's liveness check hit our host.
    connectionMonitor: { pingInterval: monitorMs },
    // The default inbound rate limit (5 connections/s per host) would reset the benchmark's
    // handshake loop; tests connect rarely either way.
    connectionManager: { inboundConnectionThreshold: 1e9, maxIncomingPendingConnections: 1e9 }
  })
  await node.handle(ECHO, async (stream) => {
    for await (const chunk of stream) {
      if (!stream.send(chunk.subarray())) await stream.onDrain()
    }
    await stream.close()
  }, { maxInboundStreams: 64 })
  return node
}

export async function echo (node, ma, bytes) {
  const stream = await node.dialProtocol(ma, ECHO)
  const reading = (async () => {
    const chunks = []
    for await (const c of stream) chunks.push(c.subarray())
    return Buffer.concat(chunks)
  })()
  if (!stream.send(bytes)) await stream.onDrain()
  await stream.close()
  return reading
}

async function check (node, text) {
  const ma = multiaddr(text)
  const target = text.split('/p2p/')[1]
  // js identifies every new connection by itself; listen before dialing so we see it.
  const identified = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no identify within 10 s')), 10000)
    node.addEventListener('peer:identify', (e) => {
      if (e.detail.peerId.toString() === target) { clearTimeout(timer); resolve(e.detail) }
    })
  })
  const conn = await node.dial(ma)
  const id = await identified
  const rtts = []
  for (let i = 0; i < 3; i++) rtts.push(await node.services.ping.ping(ma))
  // 2.1 MB: past the 1 MiB window our host grants, so our window updates are exercised.
  const sent = Buffer.from('hello from js-libp2p '.repeat(100000))
  const back = await echo(node, ma, sent)
  return {
    event: 'check',
    remotePeer: conn.remotePeer.toString(),
    encryption: conn.encryption,
    multiplexer: conn.multiplexer,
    agentVersion: id.agentVersion,
    protocolVersion: id.protocolVersion,
    protocols: id.protocols,
    listenAddrs: id.listenAddrs.map((a) => a.toString()),
    pingRtts: rtts,
    echoOk: Buffer.compare(sent, back) === 0,
    echoBytes: back.length
  }
}

async function listen () {
  const node = await startNode()
  node.addEventListener('connection:open', (e) => {
    const c = e.detail
    out({ event: 'connection', direction: c.direction, remotePeer: c.remotePeer.toString(),
      encryption: c.encryption, multiplexer: c.multiplexer })
  })
  node.addEventListener('connection:close', (e) => {
    out({ event: 'connection:close', remotePeer: e.detail.remotePeer.toString() })
  })
  out({ event: 'listening', peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map((a) => a.toString()) })
  const rl = readline.createInterface({ input: process.stdin })
  for await (const line of rl) {
    const [cmd, arg] = line.trim().split(/\s+/)
    try {
      if (cmd === 'check') out(await check(node, arg))
      else if (cmd === 'quit') break
      else out({ event: 'error', error: 'unknown command ' + cmd })
    } catch (err) {
      out({ event: 'error', error: String(err && err.stack ? err.stack : err) })
    }
  }
  await node.stop()
  process.exit(0)
}

const [mode, arg] = process.argv.slice(2)
if (mode === 'listen') {
  await listen()
} else if (mode === 'peerid') {
  const key = await generateKeyPairFromSeed('Ed25519', Buffer.from(arg, 'hex'))
  out({ peerId: peerIdFromPrivateKey(key).toString() })
}
