/**
 * A txpool-profile node against a hand-driven Mosaic p2p peer (createP2pService + startEth):
 * an announcement whose type or size differs from what the peer then delivers ends the session
 * (SubprotocolError); invalid transactions cost the peer score until it is dropped; undecodable
 * transactions, or a blob transaction broadcast in full, end the session; a valid transaction
 * from the peer enters the pool, is announced to a new peer and served by GetPooledTransactions;
 * block requests are answered empty; a peer on another genesis is refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { dev } from '../../src/chainspec/index.ts'
import type { MosaicNode } from '../../src/index.ts'
import { bytesToHex, hexToBytes, type RlpItem } from '../../src/primitives/index.ts'
import {
  chainStatus,
  createP2pService,
  DisconnectReason,
  forkScheduleOf,
  parseEnode,
  parseP2pConfig,
  randomPrivateKey,
  startEth,
  wireItem,
  type EthMessage,
  type EthPeer,
  type P2pService,
} from '../../src/p2p/internals.ts'
import type { TransactionPool } from '../../src/txpool/index.ts'
import { encodeTransaction, signTransaction, transactionHash, type Transaction } from '../../src/types/index.ts'
import { DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import type { TxGossip } from '../../src/p2p/internals.ts'
import { call, devTx, startTxpoolNode, until } from './helpers.ts'

let node: MosaicNode
let genesisHash: Uint8Array
const cleanups: (() => unknown)[] = []

beforeAll(async () => {
  node = await startTxpoolNode()
  genesisHash = hexToBytes((await call(node.rpcUrl!, 'eth_getBlockByNumber', ['0x0', false])).hash)
})
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})
afterAll(() => node?.stop())

const nodeP2p = () => node.services.p2p as P2pService
const pool = () => node.services.txpool as TransactionPool

/** A raw peer connected to the node, past the Status exchange; `answer` serves its GetPooledTransactions. */
async function rawPeer(opts: { genesis?: Uint8Array; onRequest?: (hashes: Uint8Array[]) => RlpItem[] } = {}) {
  const key = randomPrivateKey()
  const p2p = createP2pService({ config: parseP2pConfig({ port: '0', nodiscover: true }, { listenAddress: '127.0.0.1' }), privateKey: key, clientId: 'raw/test', session: { pingIntervalMs: 0 } })
  await p2p.start()
  cleanups.push(() => p2p.stop())
  const target = parseEnode((await call(node.rpcUrl!, 'admin_nodeInfo')).enode)
  const session = await p2p.peers.dial('127.0.0.1', target.tcpPort, target.id)
  const g = opts.genesis ?? genesisHash
  const head = { number: 0n, time: dev.genesis.timestamp }
  const status = chainStatus(dev, g, { ...head, hash: g, td: dev.genesis.difficulty }, 69)
  const got: EthMessage[] = []
  const peer: EthPeer = await startEth(session, { status, schedule: forkScheduleOf(dev, g), head })
  peer.onMessage((m) => {
    got.push(m)
    if (m.kind === 'GetPooledTransactions') peer.send({ kind: 'PooledTransactions', requestId: m.requestId, transactions: opts.onRequest?.(m.hashes) ?? [] })
  })
  return { p2p, peer, session, got, id: p2p.id }
}

const closedReason = async (s: EthPeer['session']) => (await s.closed).reason

describe('txpool profile: misbehaving peers', () => {
  test('announced type differs from the delivered transaction → session ends (SubprotocolError), nothing pooled', async () => {
    const tx = devTx(2, 0n)
    const raw = await rawPeer({ onRequest: () => [wireItem({ tx, raw: encodeTransaction(tx) })] })
    raw.peer.send({ kind: 'NewPooledTransactionHashes', types: Uint8Array.of(1), sizes: [encodeTransaction(tx).length], hashes: [transactionHash(tx)] })
    expect(await closedReason(raw.session)).toBe(DisconnectReason.SubprotocolError)
    expect(raw.got.some((m) => m.kind === 'GetPooledTransactions')).toBe(true)
    expect(pool().has(transactionHash(tx))).toBe(false)
  })

  test('announced size differs from the delivered transaction → session ends', async () => {
    const tx = devTx(2, 1n)
    const raw = await rawPeer({ onRequest: () => [wireItem({ tx, raw: encodeTransaction(tx) })] })
    raw.peer.send({ kind: 'NewPooledTransactionHashes', types: Uint8Array.of(2), sizes: [encodeTransaction(tx).length + 500], hashes: [transactionHash(tx)] })
    expect(await closedReason(raw.session)).toBe(DisconnectReason.SubprotocolError)
    expect(pool().has(transactionHash(tx))).toBe(false)
  })

  test('invalid transactions cost score; enough of them drop the peer', async () => {
    const raw = await rawPeer()
    const bad = (n: bigint): Transaction => devTx(3, n, { chainId: 1n }) // another chain's
    raw.peer.send({ kind: 'Transactions', transactions: [wireItem({ tx: bad(0n), raw: encodeTransaction(bad(0n)) })] })
    expect(await until(() => nodeP2p().peers.score(raw.id) < 0)).toBe(true)
    const first = nodeP2p().peers.score(raw.id)
    expect(first).toBe(-25)
    expect(nodeP2p().peers.peers.has(bytesToHex(raw.id))).toBe(true) // penalised, still connected
    raw.peer.send({ kind: 'Transactions', transactions: [1n, 2n, 3n].map((n) => wireItem({ tx: bad(n), raw: encodeTransaction(bad(n)) })) })
    expect(await closedReason(raw.session)).toBe(DisconnectReason.UselessPeer)
    expect(pool().has(transactionHash(bad(0n)))).toBe(false)
  })

  test('an undecodable transaction in Transactions ends the session', async () => {
    const raw = await rawPeer()
    raw.peer.send({ kind: 'Transactions', transactions: [Uint8Array.of(2, 0xc0)] })
    expect(await closedReason(raw.session)).toBe(DisconnectReason.SubprotocolError)
  })

  test('a blob transaction broadcast in full ends the session (eth/68 allows only announcing it)', async () => {
    const blob = signTransaction(
      { type: 3, chainId: dev.chainId, nonce: 0n, maxPriorityFeePerGas: 1n, maxFeePerGas: 10n ** 10n, gasLimit: 21_000n, to: new Uint8Array(20), value: 0n, data: new Uint8Array(0), accessList: [], maxFeePerBlobGas: 1n, blobVersionedHashes: [new Uint8Array(32).fill(1)] },
      hexToBytes(DEV_PRIVATE_KEYS[5]!),
    )
    const raw = await rawPeer()
    raw.peer.send({ kind: 'Transactions', transactions: [wireItem({ tx: blob, raw: encodeTransaction(blob) })] })
    expect(await closedReason(raw.session)).toBe(DisconnectReason.SubprotocolError)
  })

  test('a valid transaction from a peer enters the pool and is served back by GetPooledTransactions', async () => {
    const tx = devTx(4, 9n)
    const raw = await rawPeer()
    raw.peer.send({ kind: 'Transactions', transactions: [wireItem({ tx, raw: encodeTransaction(tx) })] })
    expect(await until(() => pool().has(transactionHash(tx)))).toBe(true)
    expect(nodeP2p().peers.score(raw.id)).toBe(0)
    // a second peer learns of it by announcement (the whole pool is announced to a new peer) and fetches it
    const other = await rawPeer()
    expect(await until(() => other.got.some((m) => m.kind === 'NewPooledTransactionHashes' && m.hashes.some((h) => bytesToHex(h) === bytesToHex(transactionHash(tx)))))).toBe(true)
    const r = await other.peer.request({ kind: 'GetPooledTransactions', hashes: [transactionHash(tx), new Uint8Array(32)] })
    expect(r.kind).toBe('PooledTransactions')
    const items = (r as Extract<EthMessage, { kind: 'PooledTransactions' }>).transactions
    expect(items).toHaveLength(1)
    expect(bytesToHex(items[0] as Uint8Array)).toBe(bytesToHex(encodeTransaction(tx)))
    // the peer that sent it is not sent it back
    expect(raw.got.some((m) => m.kind === 'Transactions' || m.kind === 'NewPooledTransactionHashes')).toBe(false)
  })

  test('block requests are answered empty (no chain kept)', async () => {
    const raw = await rawPeer()
    const r = await raw.peer.request({ kind: 'GetBlockHeaders', origin: 1n, limit: 1n, skip: 0n, reverse: false })
    expect(r).toMatchObject({ kind: 'BlockHeaders', headers: [] })
  })

  test('a peer on another genesis is refused at the Status exchange', async () => {
    // whichever side checks first ends the session: the node with SubprotocolError
    const err = await rawPeer({ genesis: new Uint8Array(32).fill(9) }).then(() => null, (e: { code: string; reason: DisconnectReason }) => e)
    expect(err).not.toBeNull()
    expect(err!.reason).toBe(DisconnectReason.SubprotocolError)
    const gossip = node.services.txgossip as TxGossip
    expect(await until(() => nodeP2p().peers.peers.size === 0)).toBe(true)
    expect(gossip.ethPeers.size).toBe(0)
  })
})
