// A native Soulgraph peer in Node.js: joins a network over libp2p gossipsub through a relay,
// writes one node, and prints every change the network makes, one JSON line each.
//
//   node peer.mjs <relay multiaddr> [network] [soul field value]
//
// The relay's multiaddr is in its log and at http://<relay>/info (libp2p.addresses).
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'

const [relay, network = 'default', soul, field, value] = process.argv.slice(2)
const topic = `/soulgraph/${network}/put/1.0.0`
const print = (event) => process.stdout.write(JSON.stringify(event) + '\n')

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    // Local test setups put every peer on 127.0.0.1; without this js scores them all negative.
    pubsub: gossipsub({ scoreParams: { IPColocationFactorWeight: 0 }, allowPublishToZeroTopicPeers: true })
  }
})
const pubsub = node.services.pubsub

// Every message on the topic is one GunDB put: {"#": id, "put": {soul: node}}.
pubsub.addEventListener('message', ({ detail }) => {
  if (detail.topic !== topic) return
  const message = JSON.parse(new TextDecoder().decode(detail.data))
  for (const [changed, fields] of Object.entries(message.put)) {
    for (const [name, state] of Object.entries(fields._['>'])) {
      print({ event: 'change', soul: changed, field: name, value: fields[name], state })
    }
  }
})
pubsub.subscribe(topic)
const connection = await node.dial(multiaddr(relay))
print({ event: 'joined', peerId: node.peerId.toString(), relay: connection.remotePeer.toString(), topic })

if (soul !== undefined) {
  const state = Date.now() // HAM state: milliseconds since the epoch
  const put = {
    '#': Math.random().toString(36).slice(2),
    put: { [soul]: { _: { '#': soul, '>': { [field]: state } }, [field]: value } }
  }
  // Right after connecting, the relay may not have seen our subscription yet: retry until it has.
  for (let tries = 0; ; tries++) {
    const { recipients } = await pubsub.publish(topic, new TextEncoder().encode(JSON.stringify(put)))
    if (recipients.length > 0 || tries === 100) {
      print({ event: 'wrote', soul, field, value, state, recipients: recipients.length })
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const stop = async () => { await node.stop(); process.exit(0) }
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
