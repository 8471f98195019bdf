import { afterEach, describe, expect, test } from 'bun:test'
import { createServer, type Socket } from 'node:net'
import { ETH, type Peer } from '@ethereumjs/devp2p'
import { bytesToBigint, encodeRlp, hexToBytes, type RlpItem } from '../../src/primitives/index.ts'
import {
  ETH68,
  acceptSession,
  computeForkId,
  dialSession,
  publicKeyOf,
  randomPrivateKey,
  startEth,
  type EthMessage,
  type ForkSchedule,
  type Session,
  type Status68,
} from '../../src/p2p/internals.ts'
import { startEthjs, withTimeout, type EthjsNode } from './helpers.ts'

const GENESIS = hexToBytes('0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3')
const schedule: ForkSchedule = {
  genesisHash: GENESIS,
  blockForks: [1150000n, 1920000n, 2463000n, 2675000n, 4370000n, 7280000n, 9069000n, 9200000n, 12244000n, 12965000n, 13773000n, 15050000n],
  timeForks: [1681338455n, 1710338135n, 1746612311n, 1764798551n, 1765290071n, 1767747671n],
}
// a Prague-era head (before Osaka), matching the ethereumjs Common set to Prague
const head = { number: 22500000n, time: 1750000000n }
const BEST = hexToBytes(`0x${'ab'.repeat(32)}`)
const TD = 58750003716598352816469n

function localStatus(): Status68 {
  return { kind: 'Status', version: 68, networkId: 1n, td: TD, bestHash: BEST, genesisHash: GENESIS, forkId: computeForkId(schedule, head) }
}

// Transactions as opaque RLP: a legacy list and an EIP-1559 typed envelope (type byte || rlp).
const legacyTx: RlpItem = [hexToBytes('0x09'), hexToBytes('0x04a817c800'), hexToBytes('0x5208'), hexToBytes(`0x${'35'.repeat(20)}`), hexToBytes('0x0de0b6b3a7640000'), new Uint8Array(0), hexToBytes('0x25'), hexToBytes(`0x${'28'.repeat(32)}`), hexToBytes(`0x${'67'.repeat(32)}`)]
const typedTx: RlpItem = new Uint8Array([0x02, ...encodeRlp([1, 0, 1, 2, 21000, hexToBytes(`0x${'11'.repeat(20)}`), 5, new Uint8Array(0), [], 1, hexToBytes(`0x${'22'.repeat(32)}`), hexToBytes(`0x${'33'.repeat(32)}`)])])

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

function opts(privateKey = randomPrivateKey()) {
  return { privateKey, clientId: 'mosaic/test', capabilities: [ETH68], listenPort: 0, pingIntervalMs: 0, handshakeTimeoutMs: 4000 }
}

async function ethjs(): Promise<EthjsNode> {
  const n = await startEthjs()
  cleanups.push(() => n.close())
  return n
}

/** Runs the ethereumjs side of Status once the peer is added; resolves with its ETH instance and the status it saw. */
function ethjsStatus(n: EthjsNode) {
  return new Promise<{ eth: ETH; status: { chainId: unknown; td: Uint8Array; bestHash: Uint8Array; genesisHash: Uint8Array; forkId?: unknown } }>((res) => {
    n.rlpx.events.once('peer:added', (peer: Peer) => {
      const eth = peer.getProtocols()[0] as ETH
      eth.events.once('status', (status) => res({ eth, status: status as never }))
      eth.sendStatus({ td: hexToBytes('0x0c70d815d562d3cfa955'), bestHash: BEST, genesisHash: GENESIS })
    })
  })
}

async function connectPair(direction: 'dial' | 'accept') {
  const n = await ethjs()
  const remote = ethjsStatus(n) // listen for peer:added before any connection exists
  if (direction === 'dial') {
    const s = dialSession('127.0.0.1', n.port, n.id, opts())
    cleanups.push(() => s.disconnect())
    return { s, n, remote }
  }
  const o = opts()
  let resolveS!: (s: Session) => void
  const got = new Promise<Session>((r) => (resolveS = r))
  const server = createServer((sock: Socket) => {
    const s = acceptSession(sock, o)
    cleanups.push(() => s.disconnect())
    resolveS(s)
  })
  cleanups.push(() => server.close())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  await n.rlpx.connect({ id: publicKeyOf(o.privateKey), address: '127.0.0.1', tcpPort: (server.address() as { port: number }).port })
  return { s: await withTimeout(got, 3000, 'accept'), n, remote }
}

describe('eth/68 interop with @ethereumjs/devp2p', () => {
  for (const direction of ['dial', 'accept'] as const) {
    test(`Status, transactions both ways, announcement and header request/response (Mosaic ${direction}s)`, async () => {
      const pending = (async () => {
        const { s, remote } = await connectPair(direction)
        await withTimeout(s.ready, 4000, 'hello')
        const peer = await withTimeout(startEth(s, { status: localStatus(), schedule, head }), 4000, 'eth status')
        const { eth, status } = await withTimeout(remote, 4000, 'ethjs status')
        return { peer, eth, status }
      })()
      const { peer, eth, status } = await withTimeout(pending, 8000, 'setup')

      // what Mosaic saw
      const rs = peer.remoteStatus as Status68
      expect(rs.version).toBe(68)
      expect(rs.networkId).toBe(1n)
      expect(rs.genesisHash).toEqual(GENESIS)
      expect(rs.forkId.hash).toEqual(hexToBytes('0xc376cf8b'))
      expect(rs.forkId.next).toBe(1764798551n)
      expect(rs.td).toBe(0x0c70d815d562d3cfa955n)
      // what ethereumjs saw
      expect(bytesToBigint(status.td)).toBe(TD)
      expect(status.bestHash).toEqual(BEST)
      expect((status.forkId as Uint8Array[])[0]).toEqual(hexToBytes('0xc376cf8b'))

      // Mosaic → ethereumjs
      const atEthjs = new Promise<unknown>((res) => eth.events.once('message', (code, payload) => code === 0x02 && res(payload)))
      peer.send({ kind: 'Transactions', transactions: [legacyTx, typedTx] })
      expect(await withTimeout(atEthjs, 4000, 'txs at ethjs')).toEqual([legacyTx, typedTx])

      // ethereumjs → Mosaic
      const atMosaic = new Promise<EthMessage>((res) => peer.onMessage((m) => res(m)))
      eth.sendMessage(0x02, [typedTx, legacyTx] as never)
      expect(await withTimeout(atMosaic, 4000, 'txs at mosaic')).toEqual({ kind: 'Transactions', transactions: [typedTx, legacyTx] })

      // eth/68 announcement and a request/response pair with request ids, ethereumjs → Mosaic → ethereumjs
      const more: EthMessage[] = []
      peer.onMessage((m) => more.push(m))
      const h1 = new Uint8Array(32).fill(0xa1)
      const h2 = new Uint8Array(32).fill(0xa2)
      eth.sendMessage(0x08, [new Uint8Array([0x00, 0x02]), [hexToBytes('0x6e'), hexToBytes('0x0100')], [h1, h2]] as never)
      eth.sendMessage(0x03, [hexToBytes('0x2a'), [hexToBytes('0x0157c3c0'), hexToBytes('0x02'), new Uint8Array(0), new Uint8Array(0)]] as never)
      const deadline = Date.now() + 4000
      while (more.length < 2 && Date.now() < deadline) await Bun.sleep(5)
      expect(more).toEqual([
        { kind: 'NewPooledTransactionHashes', types: new Uint8Array([0, 2]), sizes: [110, 256], hashes: [h1, h2] },
        { kind: 'GetBlockHeaders', requestId: 42n, origin: 0x0157c3c0n, limit: 2n, skip: 0n, reverse: false },
      ])
      const headersAtEthjs = new Promise<unknown>((res) => eth.events.on('message', (code, payload) => code === 0x04 && res(payload)))
      const header: RlpItem = [BEST, GENESIS, hexToBytes('0x0157c3c3')]
      peer.send({ kind: 'BlockHeaders', requestId: 42n, headers: [header] })
      expect(await withTimeout(headersAtEthjs, 4000, 'headers at ethjs')).toEqual([hexToBytes('0x2a'), [header]])
    })
  }
})
