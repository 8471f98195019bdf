/**
 * The eth service over a dev chain of a few blocks, against a Mosaic peer that runs only the eth
 * handler: headers (by number and hash, skip, reverse, a side branch, the soft byte limit),
 * bodies, receipts in the eth/68 and eth/69 (EIP-7642) encodings, a malformed request, requests
 * no subscriber takes; the Status following the head, BlockRangeUpdate to eth/69 peers only,
 * and subscribers hearing of peers and messages.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { Blockchain } from '../../src/blockchain/index.ts'
import { dev } from '../../src/chainspec/index.ts'
import { bytesToHex, encodeRlp, rlpList, rlpUint, type Hash, type RlpItem } from '../../src/primitives/index.ts'
import {
  DisconnectReason,
  ETH68,
  ETH69,
  chainStatus,
  forkScheduleOf,
  publicKeyOf,
  randomPrivateKey,
  startEth,
  startEthService,
  startPeerManager,
  statusHeadOf,
  type EthMessage,
  type EthPeer,
  type EthServiceOptions,
  type EthVersion,
} from '../../src/p2p/internals.ts'
import { openMemoryStore } from '../../src/storage/index.ts'
import { decodeBlockReceipt, decodeHeader, encodeBlockBody, headerHash, signTransaction, type Header } from '../../src/types/index.ts'
import { build, devAddress, devKey, transfer } from '../chain/dev-chain.ts'
import { until, withTimeout } from './helpers.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const bob = devAddress(7)
/** Initcode that emits LOG0 with empty data and deploys nothing: a receipt with a log. */
const LOG_INITCODE = Uint8Array.of(0x60, 0x00, 0x60, 0x00, 0xa0)

/** Block 1: a legacy transfer and a logging contract creation; blocks 2… one EIP-1559 transfer each. */
function devChain(blocks = 4) {
  const chain = Blockchain.open(openMemoryStore(), dev, { stateHistory: 1000 })
  const legacy = signTransaction({ type: 0, chainId: dev.chainId, nonce: 0n, gasPrice: 100_000_000_000n, gasLimit: 21_000n, to: bob, value: 1n, data: new Uint8Array(0) }, devKey(1))
  chain.insertExecuted(build(chain, [{ tx: legacy, from: 1 }, { tx: transfer(0, 0n, bob, 0n, { data: LOG_INITCODE, toNull: true }), from: 0 }]).executed)
  for (let i = 1; i < blocks; i++) chain.insertExecuted(build(chain, [{ tx: transfer(0, BigInt(i), bob, 1n), from: 0 }]).executed)
  return chain
}

const hashOf = (chain: Blockchain, n: bigint) => chain.canonicalHash(n)!

async function server(chain: Blockchain, extra: Partial<EthServiceOptions> = {}) {
  const key = randomPrivateKey()
  const pm = await startPeerManager({ privateKey: key, clientId: 'mosaic/test', capabilities: [ETH68, ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 10, port: 0 })
  const eth = startEthService({ peers: pm, chain, spec: dev, ...extra })
  cleanups.push(() => pm.close(), () => eth.stop())
  return { pm, eth, id: publicKeyOf(key) }
}

/** A peer on `version` whose Status is the genesis (a node that has not synced). */
async function client(srv: Awaited<ReturnType<typeof server>>, chain: Blockchain, version: EthVersion) {
  const m = await startPeerManager({ privateKey: randomPrivateKey(), clientId: 'mosaic/test', capabilities: [version === 68 ? ETH68 : ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 5 })
  cleanups.push(() => m.close())
  const session = await withTimeout(m.dial('127.0.0.1', srv.pm.port, srv.id), 3000, 'dial')
  const genesis = chain.headerByNumber(0n)!
  const genesisHash = headerHash(genesis)
  const peer = await withTimeout(
    startEth(session, { status: chainStatus(dev, genesisHash, statusHeadOf(dev, genesis), version), schedule: forkScheduleOf(dev, genesisHash), head: { number: 0n, time: genesis.timestamp } }),
    3000,
    'status',
  )
  const got: EthMessage[] = []
  peer.onMessage((msg) => got.push(msg))
  return { peer, got }
}

const headersOf = async (p: EthPeer, q: { origin: bigint | Hash; limit: bigint; skip?: bigint; reverse?: boolean }) => {
  const r = await withTimeout(p.request({ kind: 'GetBlockHeaders', skip: 0n, reverse: false, ...q }), 3000, 'headers')
  if (r.kind !== 'BlockHeaders') throw new Error(r.kind)
  return r.headers.map((h) => decodeHeader(encodeRlp(h)))
}
const numbers = (hs: Header[]) => hs.map((h) => h.number)

describe('eth service: serving chain data', () => {
  test('GetBlockHeaders: by number and hash, skip, reverse; the walk ends at what the chain has', async () => {
    const chain = devChain()
    const srv = await server(chain)
    const { peer } = await client(srv, chain, 69)
    const all = await headersOf(peer, { origin: 0n, limit: 10n })
    expect(numbers(all)).toEqual([0n, 1n, 2n, 3n, 4n])
    expect(all.map((h) => bytesToHex(headerHash(h)))).toEqual([0n, 1n, 2n, 3n, 4n].map((n) => bytesToHex(hashOf(chain, n))))
    expect(numbers(await headersOf(peer, { origin: hashOf(chain, 4n), limit: 5n, skip: 1n, reverse: true }))).toEqual([4n, 2n, 0n])
    expect(numbers(await headersOf(peer, { origin: hashOf(chain, 2n), limit: 2n }))).toEqual([2n, 3n])
    expect(numbers(await headersOf(peer, { origin: 1n, limit: 3n, skip: 2n }))).toEqual([1n, 4n])
    expect(numbers(await headersOf(peer, { origin: 3n, limit: 3n, skip: 2n ** 64n - 1n }))).toEqual([3n])
    expect(numbers(await headersOf(peer, { origin: 3n, limit: 3n, skip: 2n ** 64n - 1n, reverse: true }))).toEqual([3n])
    expect(numbers(await headersOf(peer, { origin: 1n, limit: 4n, reverse: true }))).toEqual([1n, 0n])
    expect(await headersOf(peer, { origin: new Uint8Array(32).fill(5), limit: 3n })).toEqual([])
    expect(await headersOf(peer, { origin: 9n, limit: 3n })).toEqual([])
  })

  test('GetBlockHeaders from a side block: reverse follows its parents, forward stops at it', async () => {
    const chain = devChain(2)
    const side = build(chain, [{ tx: transfer(3, 0n, bob, 9n), from: 3 }], { parentHash: hashOf(chain, 1n) }).executed
    chain.insertExecuted(side, { setHead: false })
    const srv = await server(chain)
    const { peer } = await client(srv, chain, 69)
    const back = await headersOf(peer, { origin: side.hash, limit: 5n, reverse: true })
    expect(back.map((h) => bytesToHex(headerHash(h)))).toEqual([side.hash, hashOf(chain, 1n), hashOf(chain, 0n)].map(bytesToHex))
    expect(numbers(await headersOf(peer, { origin: side.hash, limit: 5n }))).toEqual([2n])
  })

  test('the soft byte limit and the count cap end a response early', async () => {
    const chain = devChain()
    const srv = await server(chain, { serve: { softResponseBytes: 1, maxHeaders: 3 } })
    const { peer } = await client(srv, chain, 69)
    expect(numbers(await headersOf(peer, { origin: 0n, limit: 10n }))).toEqual([0n])
    const r = await peer.request({ kind: 'GetBlockBodies', hashes: [hashOf(chain, 1n), hashOf(chain, 2n)] })
    expect(r.kind === 'BlockBodies' && r.bodies.length).toBe(1)
    const srv2 = await server(chain, { serve: { maxHeaders: 3 } })
    const { peer: p2 } = await client(srv2, chain, 69)
    expect(numbers(await headersOf(p2, { origin: 0n, limit: 10n }))).toEqual([0n, 1n, 2n])
  })

  test('GetBlockBodies: the bodies of the blocks we have, in order, unknown ones left out', async () => {
    const chain = devChain()
    const srv = await server(chain)
    const { peer } = await client(srv, chain, 68)
    const r = await withTimeout(peer.request({ kind: 'GetBlockBodies', hashes: [hashOf(chain, 1n), new Uint8Array(32).fill(3), hashOf(chain, 3n)] }), 3000, 'bodies')
    if (r.kind !== 'BlockBodies') throw new Error(r.kind)
    expect(r.bodies.map((b) => bytesToHex(encodeRlp(b)))).toEqual([1n, 3n].map((n) => bytesToHex(encodeBlockBody(chain.blockByNumber(n)!))))
  })

  test('GetReceipts on eth/68: the consensus encoding, typed receipts wrapped, with the bloom', async () => {
    const chain = devChain()
    const srv = await server(chain)
    const { peer } = await client(srv, chain, 68)
    const r = await withTimeout(peer.request({ kind: 'GetReceipts', hashes: [hashOf(chain, 1n), new Uint8Array(32).fill(3), hashOf(chain, 2n)] }), 3000, 'receipts')
    if (r.kind !== 'Receipts') throw new Error(r.kind)
    expect(r.receipts.map((b) => b.length)).toEqual([2, 1])
    const block1 = r.receipts[0]!
    expect(Array.isArray(block1[0])).toBe(true) // legacy: the RLP list itself
    expect(block1[1]).toBeInstanceOf(Uint8Array) // typed: a byte string holding type || rlp
    const decoded = block1.map((item) => decodeBlockReceipt(encodeRlp(item)))
    expect(decoded).toEqual(chain.receipts(hashOf(chain, 1n))!)
    expect(decoded[1]!.logs).toHaveLength(1)
  })

  test('GetReceipts on eth/69: [type, status, cumulative gas, logs] without the bloom (EIP-7642)', async () => {
    const chain = devChain()
    const srv = await server(chain)
    const { peer } = await client(srv, chain, 69)
    const r = await withTimeout(peer.request({ kind: 'GetReceipts', hashes: [hashOf(chain, 1n)] }), 3000, 'receipts')
    if (r.kind !== 'Receipts') throw new Error(r.kind)
    const want = chain.receipts(hashOf(chain, 1n))!
    const got = r.receipts[0]!.map((item) => rlpList(item, 'receipt'))
    expect(got.map((f) => f.length)).toEqual([4, 4])
    expect(got.map((f) => bytesToHex(f[0] as Uint8Array))).toEqual(['0x', '0x02'])
    expect(got.map((f) => bytesToHex(f[1] as Uint8Array))).toEqual(['0x01', '0x01'])
    expect(got.map((f) => rlpUint(f[2], 'gas'))).toEqual(want.map((x) => x.cumulativeGasUsed))
    const log = (got[1]![3] as RlpItem[])[0] as RlpItem[]
    expect(bytesToHex(log[0] as Uint8Array)).toBe(bytesToHex(want[1]!.logs[0]!.address))
  })

  test('a malformed request ends the session with SubprotocolError; GetPooledTransactions without a pool is answered empty', async () => {
    const chain = devChain(1)
    const srv = await server(chain)
    const { peer } = await client(srv, chain, 69)
    const r = await withTimeout(peer.request({ kind: 'GetPooledTransactions', hashes: [new Uint8Array(32)] }), 3000, 'pooled')
    expect(r).toMatchObject({ kind: 'PooledTransactions', transactions: [] })
    peer.session.send('eth', 0x03, encodeRlp([1n, [1n]])) // a header query without limit, skip and reverse
    const c = await withTimeout(peer.session.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.SubprotocolError)
    expect(await until(() => srv.eth.peers.size === 0)).toBe(true)
  })
})

describe('eth service: Status follows the head', () => {
  test('new peers get the current head; eth/69 peers get BlockRangeUpdate once the head moved the interval, eth/68 peers none', async () => {
    const chain = devChain(2)
    const srv = await server(chain, { blockRangeInterval: 2 })
    const v69 = await client(srv, chain, 69)
    const v68 = await client(srv, chain, 68)
    expect(v69.peer.remoteStatus).toMatchObject({ version: 69, earliestBlock: 0n, latestBlock: 2n, latestBlockHash: hashOf(chain, 2n) })
    expect(v68.peer.remoteStatus).toMatchObject({ version: 68, bestHash: hashOf(chain, 2n) })

    chain.insertExecuted(build(chain, [{ tx: transfer(0, 2n, bob, 1n), from: 0 }]).executed)
    expect(srv.eth.status(69)).toMatchObject({ latestBlock: 3n, latestBlockHash: hashOf(chain, 3n) })
    await Bun.sleep(50)
    expect(v69.got).toEqual([]) // one block: below the interval
    chain.insertExecuted(build(chain, [{ tx: transfer(0, 3n, bob, 1n), from: 0 }]).executed)
    expect(await until(() => v69.got.length === 1)).toBe(true)
    expect(v69.got[0]).toEqual({ kind: 'BlockRangeUpdate', earliestBlock: 0n, latestBlock: 4n, latestBlockHash: hashOf(chain, 4n) })
    expect(v69.peer.range).toEqual({ earliest: 0n, latest: 4n, latestHash: hashOf(chain, 4n) }) // tracked from the update
    expect([...srv.eth.peers.values()].find((p) => p.version === 69)?.range?.latest).toBe(0n) // and the server keeps the client's own
    expect(v68.got).toEqual([])

    const late = await client(srv, chain, 69)
    expect(late.peer.remoteStatus).toMatchObject({ latestBlock: 4n, latestBlockHash: hashOf(chain, 4n) })
  })

  test('subscribers hear of peers joining (also those already there) and leaving, and of their messages', async () => {
    const chain = devChain(1)
    const srv = await server(chain)
    const first = await client(srv, chain, 69)
    expect(await until(() => srv.eth.peers.size === 1)).toBe(true)
    const joined: string[] = []
    const left: string[] = []
    const txs: number[] = []
    srv.eth.onPeer({ joined: (p) => joined.push(p.key), left: (p) => left.push(p.key) })
    srv.eth.handle('Transactions', (_p, m) => txs.push(m.transactions.length))
    expect(joined).toHaveLength(1)
    const second = await client(srv, chain, 68)
    expect(await until(() => joined.length === 2)).toBe(true)
    second.peer.send({ kind: 'Transactions', transactions: [] })
    expect(await until(() => txs.length === 1)).toBe(true)
    first.peer.session.disconnect(DisconnectReason.ClientQuitting)
    expect(await until(() => left.length === 1)).toBe(true)
    expect(left[0]).toBe(joined[0]!)
    expect(srv.eth.peers.size).toBe(1)
  })
})
