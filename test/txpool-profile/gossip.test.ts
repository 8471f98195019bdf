/**
 * Two txpool-profile nodes on loopback, connected with admin_addPeer: a transaction sent to B's
 * eth_sendRawTransaction reaches A's pool (txpool_content) and A's WebSocket
 * newPendingTransactions subscription with the full transaction; a large one travels as an
 * announcement that A fetches from B; admin_peers / net_peerCount show the peer and
 * admin_removePeer ends it. The node key persists in --datadir.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MosaicNode } from '../../src/index.ts'
import { bytesToHex } from '../../src/primitives/index.ts'
import type { TxGossip } from '../../src/p2p/internals.ts'
import { DEV_ACCOUNTS } from '../../src/chainspec/index.ts'
import type { TransactionPool } from '../../src/txpool/index.ts'
import { transactionHash } from '../../src/types/index.ts'
import { call, devTx, rawHex, rpc, startTxpoolNode, until } from './helpers.ts'

let a: MosaicNode
let b: MosaicNode
let bEnode: string
const dirs: string[] = []

beforeAll(async () => {
  a = await startTxpoolNode()
  b = await startTxpoolNode()
  bEnode = (await call(b.rpcUrl!, 'admin_nodeInfo')).enode
  expect(await call(a.rpcUrl!, 'admin_addPeer', [bEnode])).toBe(true)
  const gossip = (n: MosaicNode) => n.services.txgossip as TxGossip
  expect(await until(() => gossip(a).ethPeers.size === 1 && gossip(b).ethPeers.size === 1)).toBe(true)
})

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('txpool profile: two nodes', () => {
  test('eth_chainId and eth_blockNumber from the genesis-only chain', async () => {
    expect(await call(a.rpcUrl!, 'eth_chainId')).toBe('0x7a69')
    expect(await call(a.rpcUrl!, 'eth_blockNumber')).toBe('0x0')
  })

  test('admin_peers and net_peerCount show the peer; admin_nodeInfo the genesis as head', async () => {
    expect(await call(a.rpcUrl!, 'net_peerCount')).toBe('0x1')
    const peers = await call(a.rpcUrl!, 'admin_peers')
    expect(peers).toHaveLength(1)
    const bInfo = await call(b.rpcUrl!, 'admin_nodeInfo')
    expect(peers[0]).toMatchObject({ id: bInfo.id, name: 'Mosaic', network: { inbound: false, static: true }, protocols: { eth: { version: 69 } } })
    expect(peers[0].caps).toEqual(['eth/68', 'eth/69'])
    const genesis = (await call(a.rpcUrl!, 'eth_getBlockByNumber', ['0x0', false])).hash
    expect(bInfo.protocols.eth).toMatchObject({ network: 31337, genesis, head: genesis })
    const back = await call(b.rpcUrl!, 'admin_peers')
    expect(back[0].network.inbound).toBe(true)
  })

  test('a transaction sent to B reaches A: txpool_content and the full-transaction subscription', async () => {
    const ws = new WebSocket(a.rpcUrl!.replace('http://', 'ws://'))
    const notes: any[] = []
    const opened = new Promise((r) => (ws.onopen = r))
    ws.onmessage = (e) => notes.push(JSON.parse(String(e.data)))
    await opened
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newPendingTransactions', true] }))
    expect(await until(() => notes.some((n) => n.id === 1))).toBe(true)
    const subId = notes.find((n) => n.id === 1).result

    const tx = devTx(0, 5n) // a nonce the genesis state would call a gap: the stateless pool holds it
    const hash = await call(b.rpcUrl!, 'eth_sendRawTransaction', [rawHex(tx)])
    expect(hash).toBe(bytesToHex(transactionHash(tx)))

    const from = DEV_ACCOUNTS[0] // txpool_content keys are checksummed
    expect(await until(async () => (await call(a.rpcUrl!, 'txpool_content')).pending[from]?.['5'] !== undefined)).toBe(true)
    const content = await call(a.rpcUrl!, 'txpool_content')
    expect(content.pending[from]['5']).toMatchObject({ hash, nonce: '0x5', from: DEV_ACCOUNTS[0].toLowerCase() })
    expect(await call(a.rpcUrl!, 'txpool_status')).toEqual({ pending: '0x1', queued: '0x0' })

    expect(await until(() => notes.some((n) => n.method === 'eth_subscription'))).toBe(true)
    const note = notes.find((n) => n.method === 'eth_subscription')
    expect(note.params.subscription).toBe(subId)
    expect(note.params.result).toMatchObject({ hash, from: DEV_ACCOUNTS[0].toLowerCase(), nonce: '0x5', blockHash: null, type: '0x2' })
    ws.close()
  })

  test('a transaction above 4 KiB is announced, and A fetches it from B', async () => {
    const big = devTx(1, 0n, { data: new Uint8Array(5000), gas: 100_000n })
    const gossipA = a.services.txgossip as TxGossip
    await call(b.rpcUrl!, 'eth_sendRawTransaction', [rawHex(big)])
    const pool = a.services.txpool as TransactionPool
    expect(await until(() => pool.has(transactionHash(big)))).toBe(true)
    expect(gossipA.fetcher.wanted).toBe(0)
  })

  test('admin_removePeer ends the session; a bad enode is -32000 "invalid enode"', async () => {
    const bad = await rpc(a.rpcUrl!, 'admin_addPeer', ['enode://nope'])
    expect(bad.error.code).toBe(-32000)
    expect(bad.error.message).toStartWith('invalid enode')
    expect(await call(a.rpcUrl!, 'admin_removePeer', [bEnode])).toBe(true)
    expect(await until(async () => (await call(a.rpcUrl!, 'net_peerCount')) === '0x0' && (await call(b.rpcUrl!, 'net_peerCount')) === '0x0')).toBe(true)
    expect(await call(a.rpcUrl!, 'admin_peers')).toEqual([])
  })

  test('the node key is created in --datadir and kept across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mosaic-txp-'))
    dirs.push(dir)
    let n = await startTxpoolNode(['--datadir', dir])
    const first = (await call(n.rpcUrl!, 'admin_nodeInfo')).id
    await n.stop()
    expect(readFileSync(join(dir, 'nodekey'), 'utf8')).toMatch(/^[0-9a-f]{64}$/)
    n = await startTxpoolNode(['--datadir', dir])
    try {
      expect((await call(n.rpcUrl!, 'admin_nodeInfo')).id).toBe(first)
    } finally {
      await n.stop()
    }
  })
})
