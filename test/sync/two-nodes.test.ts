/**
 * Sync between two node-profile processes on loopback: A holds a dev chain of transfer blocks
 * (imported from an RLP file by `mosaic import`), B starts empty, adds A with admin_addPeer, and
 * is told A's head by an engine_forkchoiceUpdatedV3 on its JWT port. B answers SYNCING, reports
 * progress on eth_syncing, reaches A's head hash and state root with the same receipts, answers
 * VALID to the next forkchoiceUpdated and false to eth_syncing.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { forkchoice, removeDirs, rpc, seededDatadir, startNode, tmpDir, until, type NodeProc } from './nodes.ts'

const BLOCKS = 300
const nodes: NodeProc[] = []
let a: NodeProc

beforeAll(async () => {
  const seeded = await seededDatadir(BLOCKS)
  a = await startNode(seeded.datadir)
  nodes.push(a)
}, 60_000)

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()))
  removeDirs()
})

test('B syncs A\'s chain: head, state root, receipts; eth_syncing on the way and false after', async () => {
  const aHead = await rpc(a.rpcUrl, 'eth_getBlockByNumber', ['latest', false])
  expect(Number(aHead.number)).toBe(BLOCKS)
  const b = await startNode(tmpDir('mosaic-sync-b-'))
  nodes.push(b)
  expect(await rpc(b.rpcUrl, 'eth_syncing')).toBe(false)
  expect(await rpc(b.rpcUrl, 'admin_addPeer', [a.enode])).toBe(true)
  await until(async () => Number(await rpc(b.rpcUrl, 'net_peerCount')) >= 1, 10_000, 'B connects to A')

  const began = performance.now()
  expect(await forkchoice(b, aHead.hash)).toBe('SYNCING')
  const seen: { currentBlock: string; highestBlock: string; startingBlock: string }[] = []
  await until(
    async () => {
      const s = await rpc(b.rpcUrl, 'eth_syncing')
      if (s) seen.push(s)
      return s === false && Number(await rpc(b.rpcUrl, 'eth_blockNumber')) === BLOCKS
    },
    60_000,
    `B reaches block ${BLOCKS}\n${b.log()}`,
  )
  const ms = performance.now() - began
  expect(seen.length).toBeGreaterThan(0)
  expect(seen[0]!.startingBlock).toBe('0x0')
  expect(seen.some((s) => Number(s.highestBlock) === BLOCKS)).toBe(true)

  const bHead = await rpc(b.rpcUrl, 'eth_getBlockByNumber', ['latest', false])
  expect(bHead.hash).toBe(aHead.hash)
  expect(bHead.stateRoot).toBe(aHead.stateRoot)
  for (const n of [1, 77, 150, BLOCKS]) {
    const q = `0x${n.toString(16)}`
    expect(await rpc(b.rpcUrl, 'eth_getBlockReceipts', [q])).toEqual(await rpc(a.rpcUrl, 'eth_getBlockReceipts', [q]))
  }
  expect(await forkchoice(b, aHead.hash)).toBe('VALID')
  expect(b.log()).toContain('Sync complete')
  console.log(`synced ${BLOCKS} blocks in ${(ms / 1000).toFixed(2)} s`)
}, 90_000)
