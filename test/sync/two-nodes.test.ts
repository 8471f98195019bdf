/**
 * Sync between node-profile processes on loopback: A holds a dev chain of transfer blocks
 * (imported from an RLP file by `mosaic import`), B starts empty, adds A with admin_addPeer, and
 * is told A's head by an engine_forkchoiceUpdatedV3 on its JWT port. B answers SYNCING, reports
 * progress on eth_syncing, reaches A's head hash and state root with the same receipts, answers
 * VALID to the next forkchoiceUpdated and false to eth_syncing. Then: beside fake peers (built
 * from the p2p library) that serve other blocks' bodies, forge headers, stall, or claim blocks
 * they never send, B finishes from A and logs each drop with its reason; and B SIGKILLed three
 * times during sync, restarted each time, ends on A's head with every block readable. On a
 * terminal (a pseudo-terminal from `script`) B draws a progress bar below its log lines, and a
 * piped B writes plain lines without control characters. And a
 * peer serving a chain whose block 200 has a wrong state root: B stops at block 199 and the
 * Engine API answers INVALID (latestValidHash block 199) for the target and the bad block.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Blockchain } from '../../src/blockchain/index.ts'
import { formatExecutionPayload } from '../../src/engine/index.ts'
import { bytesToHex } from '../../src/primitives/index.ts'
import { forgedChain, startFakePeer, startServingPeer } from './fake-peer.ts'
import { forkchoice, removeDirs, rpc, seededDatadir, startNode, tmpDir, until, ZERO, type NodeProc } from './nodes.ts'

// SYNC_BLOCKS=2000 runs the full-size case by hand; make test uses 300
const BLOCKS = Number(process.env.SYNC_BLOCKS ?? 300)
const nodes: NodeProc[] = []
let a: NodeProc
let source: Blockchain

beforeAll(async () => {
  const seeded = await seededDatadir(BLOCKS)
  source = seeded.dev.chain
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
  // stderr piped, colours not refused: plain log lines all the same (no bar, no control characters)
  const b = await startNode(tmpDir('mosaic-sync-b-'), [], { env: { NO_COLOR: undefined } })
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
  // a piped node writes its log in bursts (src/node/log-writer.ts): the line comes within 20 ms
  await until(async () => b.log().includes('Sync complete'), 5_000, `B logs Sync complete\n${b.log()}`)
  expect(b.log()).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
  console.log(`synced ${BLOCKS} blocks in ${(ms / 1000).toFixed(2)} s`)
  if (process.env.SYNC_TEST_LOG) console.log(b.log())
}, 90_000)

async function aHead() {
  return rpc(a.rpcUrl, 'eth_getBlockByNumber', ['latest', false])
}

test('a peer serving mismatched bodies is dropped with a reason; B finishes from A', async () => {
  const head = await aHead()
  const fake = await startFakePeer(source, 'wrong-bodies')
  try {
    const b = await startNode(tmpDir('mosaic-sync-bad-'))
    nodes.push(b)
    expect(await rpc(b.rpcUrl, 'admin_addPeer', [fake.enode])).toBe(true)
    await until(async () => Number(await rpc(b.rpcUrl, 'net_peerCount')) >= 1, 10_000, 'B connects to the fake')
    expect(await rpc(b.rpcUrl, 'admin_addPeer', [a.enode])).toBe(true)
    await until(async () => Number(await rpc(b.rpcUrl, 'net_peerCount')) >= 2, 10_000, 'B connects to A')
    expect(await forkchoice(b, head.hash)).toBe('SYNCING')
    await until(async () => (await rpc(b.rpcUrl, 'eth_blockNumber')) === head.number, 60_000, `B reaches A's head\n${b.log()}`)
    expect((await rpc(b.rpcUrl, 'eth_getBlockByNumber', ['latest', false])).stateRoot).toBe(head.stateRoot)
    expect(b.log()).toMatch(/Dropping peer.*client=fake\/wrong-bodies.*kind=BAD_BODIES.*reason=/)
    expect(await forkchoice(b, head.hash)).toBe('VALID')
  } finally {
    await fake.close()
  }
}, 90_000)

test('forged headers, a stalling peer, wrong bodies and a peer that claims blocks it does not send: each dropped with its reason, B finishes from A', async () => {
  const head = await aHead()
  const forger = await startFakePeer(source, 'bad-headers')
  const staller = await startFakePeer(source, 'stall')
  const bodies = await startFakePeer(source, 'wrong-bodies')
  const liar = await startFakePeer(source, 'empty')
  try {
    const b = await startNode(tmpDir('mosaic-sync-bad2-'), ['--sync.timeout', '1000'])
    nodes.push(b)
    // joined in this order, the fakes are asked first (unmeasured peers tie, the first joined wins)
    let n = 0
    for (const peer of [forger, staller, bodies, liar, a]) {
      await rpc(b.rpcUrl, 'admin_addPeer', [peer.enode])
      n++
      await until(async () => Number(await rpc(b.rpcUrl, 'net_peerCount')) >= n, 10_000, `B connects to peer ${n}`)
    }
    expect(await forkchoice(b, head.hash)).toBe('SYNCING')
    await until(async () => (await rpc(b.rpcUrl, 'eth_blockNumber')) === head.number, 60_000, `B reaches A's head\n${b.log()}`)
    expect((await rpc(b.rpcUrl, 'eth_getBlockByNumber', ['latest', false])).stateRoot).toBe(head.stateRoot)
    const log = b.log()
    expect(log).toMatch(/Dropping peer.*client=fake\/bad-headers.*kind=BAD_HEADERS/)
    expect(log).toMatch(/Dropping peer.*client=fake\/stall.*kind=TIMEOUT/)
    expect(log).toMatch(/Dropping peer.*client=fake\/wrong-bodies.*kind=BAD_BODIES/)
    expect(log).toMatch(/Dropping peer.*client=fake\/empty.*kind=USELESS/)
    expect(Number(await rpc(b.rpcUrl, 'net_peerCount'))).toBe(1)
  } finally {
    await Promise.all([forger.close(), staller.close(), bodies.close(), liar.close()])
  }
}, 90_000)

test('B SIGKILLed during sync (up to three times) and restarted each time ends on A\'s head, every block readable, with the safe and finalized blocks named before the kills', async () => {
  const head = await aHead()
  const hashOf = async (n: number) => (await rpc(a.rpcUrl, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, false])).hash as string
  const marks = { safe: await hashOf(BLOCKS - 20), finalized: await hashOf(BLOCKS - 50) }
  const datadir = tmpDir('mosaic-sync-kill-')
  let b = await startNode(datadir)
  nodes.push(b)
  await rpc(b.rpcUrl, 'admin_addPeer', [a.enode])
  await until(async () => Number(await rpc(b.rpcUrl, 'net_peerCount')) >= 1, 10_000, 'B connects to A')
  expect(await forkchoice(b, head.hash, marks)).toBe('SYNCING')
  const killedAt: number[] = []
  let last = 0
  for (let round = 0; round < 3; round++) {
    // kill as soon as it has imported something more (the import yields every 50 ms)
    let now = last
    await until(async () => (now = Number(await rpc(b.rpcUrl, 'eth_blockNumber'))) > last, 30_000, 'B imports a block')
    if (now >= BLOCKS) break
    await b.kill('SIGKILL')
    b = await startNode(datadir)
    nodes.push(b)
    last = Number(await rpc(b.rpcUrl, 'eth_blockNumber'))
    killedAt.push(last)
    expect(last).toBeGreaterThanOrEqual(now)
    await until(async () => b.log().includes('Resuming sync'), 5_000, 'the resuming line')
    await until(async () => b.log().includes('Sync waiting for peers'), 5_000, 'the waiting line')
    // the stored target resumes as soon as a peer is there
    await rpc(b.rpcUrl, 'admin_addPeer', [a.enode])
  }
  expect(killedAt.length).toBeGreaterThan(0)
  expect(killedAt[0]!).toBeLessThan(BLOCKS)
  await until(async () => (await rpc(b.rpcUrl, 'eth_blockNumber')) === head.number, 60_000, `B reaches A's head after the restarts\n${b.log()}`)
  const bHead = await rpc(b.rpcUrl, 'eth_getBlockByNumber', ['latest', false])
  expect([bHead.hash, bHead.stateRoot]).toEqual([head.hash, head.stateRoot])
  // no forkchoiceUpdated since the kills: the stored target's safe and finalized were applied
  await until(async () => (await rpc(b.rpcUrl, 'eth_syncing')) === false, 10_000, 'sync ends')
  expect((await rpc(b.rpcUrl, 'eth_getBlockByNumber', ['safe', false])).hash).toBe(marks.safe)
  expect((await rpc(b.rpcUrl, 'eth_getBlockByNumber', ['finalized', false])).hash).toBe(marks.finalized)
  expect(await forkchoice(b, head.hash, marks)).toBe('VALID')
  const numbers = Array.from({ length: BLOCKS }, (_, i) => `0x${(i + 1).toString(16)}`)
  const hashes = (url: string) => Promise.all(numbers.map(async (q) => (await rpc(url, 'eth_getBlockByNumber', [q, false]))?.hash))
  expect(await hashes(b.rpcUrl)).toEqual(await hashes(a.rpcUrl))
  console.log(`killed at blocks ${killedAt.join(', ')}`)
}, 120_000)

test('a peer serving a chain with an invalid block: B stops at its parent; forkchoiceUpdated and newPayload on that chain answer INVALID with the parent as latestValidHash', async () => {
  const BAD = 200n
  const forged = forgedChain(source, BAD)
  const peer = await startServingPeer(forged)
  try {
    const b = await startNode(tmpDir('mosaic-sync-invalid-'))
    nodes.push(b)
    expect(await rpc(b.rpcUrl, 'admin_addPeer', [peer.enode])).toBe(true)
    await until(async () => Number(await rpc(b.rpcUrl, 'net_peerCount')) >= 1, 10_000, 'B connects to the peer')
    const target = bytesToHex(forged.hashAt(BigInt(BLOCKS)))
    expect(await forkchoice(b, target)).toBe('SYNCING')
    await until(async () => b.log().includes('Sync of the target stopped'), 60_000, `B finds the bad block\n${b.log()}`)
    expect(b.log()).toMatch(/Sync of the target stopped.*kind=INVALID_CHAIN/)
    expect(Number(await rpc(b.rpcUrl, 'eth_blockNumber'))).toBe(Number(BAD) - 1)
    const lastValid = bytesToHex(source.canonicalHash(BAD - 1n)!)
    const fcu = async (head: string) =>
      (await b.engine().call<{ payloadStatus: { status: string; latestValidHash: string | null; validationError: string | null } }>('engine_forkchoiceUpdatedV3', [{ headBlockHash: head, safeBlockHash: ZERO, finalizedBlockHash: ZERO }, null])).payloadStatus
    const atTarget = await fcu(target)
    expect([atTarget.status, atTarget.latestValidHash]).toEqual(['INVALID', lastValid])
    expect(atTarget.validationError).toMatch(/^links to invalid ancestor: .*state root/i)
    const atBad = await fcu(bytesToHex(forged.hashAt(BAD)))
    expect([atBad.status, atBad.latestValidHash]).toEqual(['INVALID', lastValid])
    expect(atBad.validationError).toMatch(/state root/i)
    // the consensus client sends the bad block again as a payload: INVALID without executing it
    const h = forged.headerByNumber(BAD)!
    const block = { header: h, ...forged.blockByHash(forged.hashAt(BAD))! }
    const np = await b.engine().call<{ status: string; latestValidHash: string | null }>('engine_newPayloadV4', [formatExecutionPayload(block, forged.hashAt(BAD), 3), [], bytesToHex(h.parentBeaconBlockRoot!), []])
    expect([np.status, np.latestValidHash]).toEqual(['INVALID', lastValid])
    // the head stayed at the last valid block
    expect(Number(await rpc(b.rpcUrl, 'eth_blockNumber'))).toBe(Number(BAD) - 1)
    expect(await rpc(b.rpcUrl, 'eth_syncing')).toBe(false)
  } finally {
    await peer.close()
  }
}, 90_000)

const CLEAR = '\r\x1b[2K'

test('on a terminal B draws a progress bar below its log lines; every log line starts at the line\'s start', async () => {
  const head = await aHead()
  const b = await startNode(tmpDir('mosaic-sync-tty-'), [], { tty: true, env: { NO_COLOR: undefined, TERM: 'xterm' } })
  nodes.push(b)
  await rpc(b.rpcUrl, 'admin_addPeer', [a.enode])
  await until(async () => Number(await rpc(b.rpcUrl, 'net_peerCount')) >= 1, 10_000, 'B connects to A')
  expect(await forkchoice(b, head.hash)).toBe('SYNCING')
  await until(async () => (await rpc(b.rpcUrl, 'eth_syncing')) === false && (await rpc(b.rpcUrl, 'eth_blockNumber')) === head.number, 60_000, `B reaches A's head\n${b.log()}`)
  await until(async () => b.log().includes('Sync complete'), 5_000, 'the complete line')
  await Bun.sleep(400) // the bar's next redraw removes it
  const out = b.log()
  if (process.env.SYNC_TEST_LOG) console.log(JSON.stringify(out))
  // the bar: drawn in place, blocks done of the total, blocks/s and the time left
  expect(out).toMatch(/\r\x1b\[2KSyncing \[[= >]{24}\] [\d,]+\/[\d,]+ blocks [\d.]+% +[\d.]+ blocks\/s +left /)
  // every log line starts a line: after a newline, or after the bar was cleared for it
  const labels = [...out.matchAll(/(INFO |WARN |ERROR|DEBUG) \[\d\d-\d\d\|/g)]
  expect(labels.length).toBeGreaterThan(5)
  for (const m of labels) {
    const before = out.slice(Math.max(0, m.index! - CLEAR.length), m.index!)
    expect(before === CLEAR || before.endsWith('\n') || m.index === 0).toBe(true)
  }
  // after the sync the bar is gone: the output ends with it cleared or with a whole line
  expect(out.endsWith(CLEAR) || out.endsWith('\n')).toBe(true)
  await b.kill()
  expect(b.proc.exitCode).toBe(143)
}, 90_000)
