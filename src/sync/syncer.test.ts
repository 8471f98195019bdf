/**
 * The syncer in process, over real RLPx sessions on loopback: a node syncs another's chain to a
 * target, a newer target (a newPayload block) replacing the first mid-import; a syncer stopped
 * halfway resumes from the stored skeleton with no new target and applies the stored safe and
 * finalized blocks (the latest named) at the end; eth_syncing's progress on the way;
 * a target whose chain has an invalid block is told to `onInvalid` and abandoned. Headers from
 * several peers (small batches, so that the 200 blocks take many): two honest peers both serve
 * them; a peer on another branch (its batches by number do not link) leaves the skeleton on the
 * target's chain and is not dropped for it; a peer whose batches do not chain is dropped and sync
 * finishes from the other.
 */
import { afterEach, expect, test } from 'bun:test'
import { Blockchain } from '../blockchain/index.ts'
import { dev } from '../chainspec/index.ts'
import { ETH68, ETH69, parseEnode, publicKeyOf, randomPrivateKey, startEthService, startPeerManager, type EthChainSource, type EthService, type PeerManager } from '../p2p/internals.ts'
import { equalBytes } from '../primitives/index.ts'
import { openMemoryStore } from '../storage/index.ts'
import { devChain } from '../../test/chain/block-files.ts'
import { forgedChain, startFakePeer } from '../../test/sync/fake-peer.ts'
import { createSyncer, type InvalidChain, type Syncer } from './index.ts'

const source = devChain(200, 2).chain
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function node(chain: EthChainSource, listen: boolean): Promise<{ pm: PeerManager; eth: EthService; key: Uint8Array }> {
  const key = randomPrivateKey()
  const pm = await startPeerManager({ privateKey: key, clientId: 'mosaic/test', capabilities: [ETH68, ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 5, ...(listen ? { port: 0 } : {}) })
  const eth = startEthService({ peers: pm, chain, spec: dev })
  cleanups.push(() => pm.close(), () => eth.stop())
  return { pm, eth, key }
}

/** `b`'s eth service peered with each of `from`: a chain served in process, or a peer's enode URL. */
async function peered(b: Blockchain, from: (EthChainSource | string)[]): Promise<EthService> {
  const n = await node(b, false)
  for (const f of from) {
    if (typeof f === 'string') {
      const r = parseEnode(f)
      await n.pm.dial('127.0.0.1', r.tcpPort, r.id)
    } else {
      const a = await node(f, true)
      await n.pm.dial('127.0.0.1', a.pm.port, publicKeyOf(a.key))
    }
  }
  const deadline = Date.now() + 3000
  while (n.eth.peers.size < from.length && Date.now() < deadline) await Bun.sleep(5)
  return n.eth
}
const pair = (b: Blockchain, from: EthChainSource = source) => peered(b, [from])

const hashAt = (n: bigint) => source.canonicalHash(n)!
const until = async (cond: () => boolean, ms = 20_000) => {
  const deadline = Date.now() + ms
  while (!cond() && Date.now() < deadline) await Bun.sleep(5)
  return cond()
}
const logs: string[] = []
const log = (_level: string, msg: string, fields?: Record<string, unknown>) => void logs.push(`${msg} ${JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`)

test('a newer target replaces the current one mid-import; progress on the way, false after', async () => {
  const b = Blockchain.open(openMemoryStore(), dev)
  const eth = await pair(b)
  const syncer: Syncer = createSyncer({ chain: b, eth, db: b.db, log, limits: { logIntervalMs: 0 } })
  logs.length = 0
  cleanups.push(() => syncer.stop())
  syncer.start()
  const progress: unknown[] = []
  b.onHead((e) => {
    if (e.block.header.number === 50n) {
      progress.push(syncer.progress())
      // a newPayload whose parent is missing: the block is given, only its ancestors are fetched
      const block = source.blockByHash(hashAt(200n))!
      syncer.setTarget({ hash: hashAt(200n), block })
    }
  })
  syncer.setTarget({ hash: hashAt(120n), state: { safeBlockHash: hashAt(100n), finalizedBlockHash: hashAt(90n) } })
  expect(syncer.progress()).toEqual({ startingBlock: 0n, currentBlock: 0n, highestBlock: 0n })
  expect(await until(() => b.head().number === 200n)).toBe(true)
  expect(equalBytes(b.headBlockHash(), hashAt(200n))).toBe(true)
  expect(progress).toEqual([{ startingBlock: 0n, currentBlock: 50n, highestBlock: 120n }])
  expect(await until(() => syncer.progress() === false)).toBe(true)
  expect(equalBytes(b.head().stateRoot, source.head().stateRoot)).toBe(true)
  // the progress line (every interval; 0 here): blocks/s, Mgas/s, peers, time left
  expect(logs.find((l) => l.startsWith('Syncing '))).toMatch(/"number":"\d+","target":"(120|200)","blocks\/s":"[\d.]+","Mgas\/s":"[\d.]+","peers":1,"left":"/)
  expect(logs.some((l) => l.startsWith('Sync complete'))).toBe(true)
})

/** Syncs `b` towards block 150 (safe, finalized: `marks`) and stops the syncer at block `at` (after `there` ran); then starts a second syncer. */
async function stopAndResume(b: Blockchain, at: bigint, marks: [bigint, bigint], there: (s: Syncer) => void = () => {}): Promise<Syncer> {
  const eth = await pair(b)
  const first = createSyncer({ chain: b, eth, db: b.db, log })
  let stopping: Promise<void> | undefined
  const off = b.onHead((e) => {
    if (e.block.header.number !== at) return
    there(first)
    stopping = first.stop()
  })
  first.start()
  first.setTarget({ hash: hashAt(150n), state: { safeBlockHash: hashAt(marks[0]), finalizedBlockHash: hashAt(marks[1]) } })
  expect(await until(() => stopping !== undefined)).toBe(true)
  await stopping
  off()
  expect(b.head().number).toBe(at)
  logs.length = 0
  const second = createSyncer({ chain: b, eth, db: b.db, log })
  cleanups.push(() => second.stop())
  second.start()
  return second
}

test('a syncer stopped halfway resumes from the stored headers at its next start', async () => {
  const b = Blockchain.open(openMemoryStore(), dev)
  const second = await stopAndResume(b, 60n, [150n, 140n])
  expect(second.progress()).toMatchObject({ startingBlock: 60n, highestBlock: 150n })
  expect(await until(() => b.head().number === 150n)).toBe(true)
  expect(logs.some((l) => l.startsWith('Resuming sync'))).toBe(true)
  // no header was fetched again: the resumed run went straight to bodies
  expect(logs.some((l) => l.startsWith('Sync headers stored'))).toBe(false)
  // the safe and finalized blocks were stored with the target and applied at its end
  expect(await until(() => b.finalized()?.number === 140n)).toBe(true)
  expect(b.safe()?.number).toBe(150n)
})

test('safe and finalized named again for the stored target are stored with it', async () => {
  const b = Blockchain.open(openMemoryStore(), dev)
  // the consensus client's next forkchoiceUpdated: same head, later safe and finalized
  const second = await stopAndResume(b, 30n, [100n, 90n], (first) =>
    first.setTarget({ hash: hashAt(150n), state: { safeBlockHash: hashAt(120n), finalizedBlockHash: hashAt(110n) } }),
  )
  expect(await until(() => b.head().number === 150n && second.progress() === false)).toBe(true)
  expect([b.safe()?.number, b.finalized()?.number]).toEqual([120n, 110n])
})

test('a block of the target\'s chain that fails import: onInvalid names it, its parent and its descendants; the target is abandoned', async () => {
  const forged = forgedChain(source, 120n)
  const b = Blockchain.open(openMemoryStore(), dev)
  const eth = await pair(b, forged)
  const syncer = createSyncer({ chain: b, eth, db: b.db, log })
  cleanups.push(() => syncer.stop())
  const reports: InvalidChain[] = []
  syncer.onInvalid((c) => reports.push(c))
  syncer.start()
  syncer.setTarget({ hash: forged.hashAt(150n), state: { safeBlockHash: forged.hashAt(150n), finalizedBlockHash: forged.hashAt(100n) } })
  expect(await until(() => reports.length > 0)).toBe(true)
  expect(b.head().number).toBe(119n)
  const r = reports[0]!
  expect([r.number, r.hash, r.parentHash]).toEqual([120n, forged.hashAt(120n), hashAt(119n)])
  expect(r.validationError).toMatch(/state root/i)
  expect(r.descendants).toEqual(Array.from({ length: 30 }, (_, i) => forged.hashAt(121n + BigInt(i))))
  expect(await until(() => syncer.progress() === false)).toBe(true)
  // named again, it starts nothing
  syncer.setTarget({ hash: forged.hashAt(150n) })
  expect(syncer.progress()).toBe(false)
  expect(reports.length).toBe(1)
})

/** Syncs a fresh chain from `from` to the source's head in batches of 16 headers; the peers (short keys) that served stored header batches, and the log. */
async function syncInSmallBatches(from: (EthChainSource | string)[]): Promise<{ b: Blockchain; servedHeaders: Set<string> }> {
  const b = Blockchain.open(openMemoryStore(), dev)
  const eth = await peered(b, from)
  expect(eth.peers.size).toBe(from.length)
  logs.length = 0
  const syncer = createSyncer({ chain: b, eth, db: b.db, log, limits: { headersPerRequest: 16 } })
  cleanups.push(() => syncer.stop())
  syncer.start()
  syncer.setTarget({ hash: hashAt(200n), state: { safeBlockHash: hashAt(200n), finalizedBlockHash: hashAt(100n) } })
  expect(await until(() => syncer.progress() === false)).toBe(true)
  expect(b.head().number).toBe(200n)
  // every block is the source's: no header of another branch got into the skeleton
  for (let n = 1n; n <= 200n; n++) expect(equalBytes(b.canonicalHash(n)!, hashAt(n))).toBe(true)
  expect(equalBytes(b.head().stateRoot, source.head().stateRoot)).toBe(true)
  const servedHeaders = new Set(logs.filter((l) => l.startsWith('Sync headers stored')).map((l) => JSON.parse(l.slice(l.indexOf('{'))).peer as string))
  return { b, servedHeaders }
}

test('headers from several peers: two honest peers both serve header batches of a long target', async () => {
  const { servedHeaders } = await syncInSmallBatches([source, source])
  expect(servedHeaders.size).toBe(2)
  expect(logs.some((l) => l.startsWith('Dropping peer'))).toBe(false)
})

test('a peer on another branch: its batches by number do not link, the skeleton stays on the target\'s chain, the peer is not dropped for it', async () => {
  // the same blocks up to 99, another branch from block 100 (same numbers, other hashes)
  const { servedHeaders } = await syncInSmallBatches([source, forgedChain(source, 100n)])
  expect(logs.some((l) => l.startsWith('Sync header batch does not link'))).toBe(true)
  expect(logs.some((l) => l.startsWith('Dropping peer') && l.includes('BAD_HEADERS'))).toBe(false)
  // below the fork the other peer's batches link and are stored
  expect(servedHeaders.size).toBeGreaterThanOrEqual(1)
})

test('a peer whose header batches do not chain is dropped; sync finishes from the honest one', async () => {
  const bad = await startFakePeer(source, 'bad-headers')
  cleanups.push(() => bad.close())
  await syncInSmallBatches([source, bad.enode])
  expect(bad.requests).toBeGreaterThan(0)
  expect(logs.some((l) => l.startsWith('Dropping peer') && l.includes('"kind":"BAD_HEADERS"'))).toBe(true)
})
