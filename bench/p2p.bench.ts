/**
 * devp2p on loopback, Mosaic vs @ethereumjs/devp2p in the same run:
 * - RLPx handshakes per second (TCP connect, ECIES auth/ack, Hello both ways), one at a time;
 * - eth Transactions gossip between two connected nodes: messages of 1 transaction and of 64
 *   (130-byte transactions), with a window of messages in flight.
 * Each side runs twice for about 1.2 s, alternating, and keeps its best (the machine is shared);
 * the whole group takes about 20 s.
 */
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { ETH, RLPx, type Peer } from '@ethereumjs/devp2p'
import { createServer, type Socket } from 'node:net'
import { hexToBytes } from '../src/primitives/index.ts'
import {
  ETH68,
  acceptSession,
  computeForkId,
  dialSession,
  publicKeyOf,
  randomPrivateKey,
  startEth,
  type EthPeer,
  type ForkSchedule,
  type Session,
  type SessionOptions,
  type Status68,
} from '../src/p2p/internals.ts'
import { report, type Measurement } from './harness.ts'

const MS = 1200
const ROUNDS = 2
const WINDOW = 256
const GENESIS = hexToBytes('0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3')
const schedule: ForkSchedule = {
  genesisHash: GENESIS,
  blockForks: [1150000n, 1920000n, 2463000n, 2675000n, 4370000n, 7280000n, 9069000n, 9200000n, 12244000n, 12965000n, 13773000n, 15050000n],
  timeForks: [1681338455n, 1710338135n, 1746612311n, 1764798551n, 1765290071n, 1767747671n],
}
const head = { number: 22500000n, time: 1750000000n }
const BEST = new Uint8Array(32).fill(0xab)
const status = (): Status68 => ({ kind: 'Status', version: 68, networkId: 1n, td: 1n, bestHash: BEST, genesisHash: GENESIS, forkId: computeForkId(schedule, head) })
// a 130-byte opaque EIP-1559 envelope: type byte || payload (the codec does not look inside)
const TX = new Uint8Array([0x02, ...crypto.getRandomValues(new Uint8Array(129))])

const ethjsEth68 = { name: 'eth', version: 68, length: 17, constructor: ETH }
const sessionOpts = (): SessionOptions => ({ privateKey: randomPrivateKey(), clientId: 'mosaic/bench', capabilities: [ETH68], listenPort: 0, pingIntervalMs: 0 })

/** Runs `once` back to back for about `ms`; ops/s counts `perCall` per call. */
async function measureAsync(name: string, once: () => Promise<void>, perCall = 1, ms = MS): Promise<Measurement> {
  const warm = performance.now() + 200
  while (performance.now() < warm) await once()
  let calls = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    await once()
    calls++
  }
  return { name, opsPerSec: (calls * perCall * 1000) / (performance.now() - start), opsPerCall: perCall }
}

async function mosaicListener(o: SessionOptions, onSession: (s: Session) => void) {
  const server = createServer((sock: Socket) => onSession(acceptSession(sock, o)))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return { port: (server.address() as { port: number }).port, close: () => new Promise<void>((r) => server.close(() => r())) }
}

async function ethjsNode() {
  const privateKey = randomPrivateKey()
  const rlpx = new RLPx(privateKey, { capabilities: [ethjsEth68], common: new Common({ chain: Mainnet, hardfork: Hardfork.Prague }), maxPeers: 10, timeout: 5000 })
  const listening = new Promise<void>((r) => rlpx.events.once('listening', () => r()))
  rlpx.listen(0, '127.0.0.1')
  await listening
  const port = (rlpx['_server'] as { address(): { port: number } }).address().port
  const close = () => {
    for (const p of rlpx.getPeers()) (p as Peer)['_socket'].destroy()
    try {
      rlpx.destroy()
    } catch {}
  }
  return { rlpx, id: rlpx.id, port, close }
}

async function mosaicHandshakes(): Promise<Measurement> {
  const o = sessionOpts()
  const accepted: Session[] = []
  const l = await mosaicListener(o, (s) => accepted.push(s))
  const remoteId = publicKeyOf(o.privateKey)
  const m = await measureAsync('mosaic', async () => {
    const s = dialSession('127.0.0.1', l.port, remoteId, sessionOpts())
    await s.ready
    const a = accepted.shift()
    if (a) await a.ready
    s.disconnect()
    await s.closed
  })
  await l.close()
  return m
}

async function ethjsHandshakes(): Promise<Measurement> {
  const server = await ethjsNode()
  const client = await ethjsNode()
  const m = await measureAsync('@ethereumjs/devp2p', async () => {
    const both = Promise.all([new Promise((r) => server.rlpx.events.once('peer:added', r)), new Promise((r) => client.rlpx.events.once('peer:added', r))])
    await client.rlpx.connect({ id: server.id, address: '127.0.0.1', tcpPort: server.port })
    await both
    const removed = new Promise((r) => client.rlpx.events.once('peer:removed', r))
    for (const p of client.rlpx.getPeers()) (p as Peer)['_socket'].destroy()
    await removed
  })
  server.close()
  client.close()
  return m
}

/** Sends `count` messages through `send`, keeping at most WINDOW ahead of what `received()` counts. */
async function pump(send: () => void, received: () => number, count: number, wait: () => Promise<void>): Promise<void> {
  const base = received()
  let sent = 0
  while (received() - base < count) {
    while (sent < count && sent - (received() - base) < WINDOW) {
      send()
      sent++
    }
    await wait()
  }
}

async function mosaicGossip(txsPerMsg: number): Promise<Measurement> {
  const ob = sessionOpts()
  let acceptedS!: (s: Session) => void
  const accepted = new Promise<Session>((r) => (acceptedS = r))
  const l = await mosaicListener(ob, acceptedS)
  const sa = dialSession('127.0.0.1', l.port, publicKeyOf(ob.privateKey), sessionOpts())
  const sb = await accepted
  await Promise.all([sa.ready, sb.ready])
  // flood protection off: this measures the pipe, not the per-peer policy
  const eo = { status: status(), schedule, head, messageRate: 1e9, messageBurst: 1e9 }
  const [a, b]: EthPeer[] = await Promise.all([startEth(sa, eo), startEth(sb, eo)])
  let got = 0
  b.onMessage((m) => {
    if (m.kind === 'Transactions') got++
  })
  const txs = Array.from({ length: txsPerMsg }, () => TX)
  let waiter: (() => void) | null = null
  b.onMessage(() => waiter?.())
  const wait = () => new Promise<void>((r) => ((waiter = r), setTimeout(r, 5)))
  const m = await measureAsync('mosaic', () => pump(() => void a.send({ kind: 'Transactions', transactions: txs }), () => got, 1000, wait), 1000)
  sa.disconnect()
  sb.disconnect()
  await l.close()
  return m
}

async function ethjsGossip(txsPerMsg: number): Promise<Measurement> {
  const server = await ethjsNode()
  const client = await ethjsNode()
  const ethOf = (n: Awaited<ReturnType<typeof ethjsNode>>) =>
    new Promise<ETH>((res) =>
      n.rlpx.events.once('peer:added', (peer: Peer) => {
        const eth = peer.getProtocols()[0] as ETH
        eth.events.once('status', () => res(eth))
        eth.sendStatus({ td: new Uint8Array([1]), bestHash: BEST, genesisHash: GENESIS })
      }),
    )
  const pair = Promise.all([ethOf(client), ethOf(server)])
  await client.rlpx.connect({ id: server.id, address: '127.0.0.1', tcpPort: server.port })
  const [a, b] = await pair
  let got = 0
  let waiter: (() => void) | null = null
  b.events.on('message', (code: number) => {
    if (code === 0x02) got++
    waiter?.()
  })
  const txs = Array.from({ length: txsPerMsg }, () => TX)
  const wait = () => new Promise<void>((r) => ((waiter = r), setTimeout(r, 5)))
  const m = await measureAsync('@ethereumjs/devp2p', () => pump(() => a.sendMessage(0x02, txs as never), () => got, 1000, wait), 1000)
  server.close()
  client.close()
  return m
}

/** Runs the peer and Mosaic alternately, ROUNDS times each, keeping each one's best: the machine is shared. */
async function interleaved(peer: () => Promise<Measurement>, mosaic: () => Promise<Measurement>): Promise<[Measurement, Measurement]> {
  let p: Measurement | undefined
  let m: Measurement | undefined
  const best = (a: Measurement | undefined, b: Measurement) => (a && a.opsPerSec >= b.opsPerSec ? a : b)
  for (let i = 0; i < ROUNDS; i++) {
    p = best(p, await peer())
    m = best(m, await mosaic())
  }
  return [p!, m!]
}

export async function run(): Promise<void> {
  const [ethjsH, mosaicH] = await interleaved(ethjsHandshakes, mosaicHandshakes)
  report('RLPx handshakes on loopback (connect + auth/ack + Hello), one at a time', [ethjsH, mosaicH], ethjsH)
  for (const n of [1, 64]) {
    const [ej, mo] = await interleaved(() => ethjsGossip(n), () => mosaicGossip(n))
    report(`eth Transactions gossip, ${n} tx${n > 1 ? 's' : ''} of 130 bytes per message (messages/s)`, [ej, mo], ej)
    if (n > 1) {
      const txRate = (x: Measurement): Measurement => ({ ...x, opsPerSec: x.opsPerSec * n, opsPerCall: x.opsPerCall * n })
      const base = txRate(ej)
      report('  the same in transactions/s', [base, txRate(mo)], base)
    }
  }
}

if (import.meta.main) await run()
