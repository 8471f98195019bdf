/**
 * Sync between two node processes against import of the same blocks, as a user sees them:
 * `bun bench/sync.bench.ts [BLOCKS]`.
 *
 * The import bench's chain (bench/chain.ts: ERC-20 and ETH transfers on the dev chain, default
 * 1,000 blocks after its set-up) is built once and written as an RLP file, which `bin/mosaic
 * import` puts into A's data directory. A is `bin/mosaic --profile node --chain dev` on it (p2p on
 * loopback, no discovery). Then, alternating ROUNDS times (default 3):
 *
 * - import: `bin/mosaic import` of the file into a fresh data directory, its own elapsed time
 *   (start-up excluded, as bench/engine.bench.ts reads it);
 * - sync: B, a fresh `bin/mosaic --profile node` process, peers with A (admin_addPeer) and is
 *   named A's head with engine_forkchoiceUpdatedV3 on its JWT port (its own jwt.hex); the time
 *   from that call to B's eth_blockNumber reaching A's head (polled every POLL_MS ms, 50: exact
 *   to a few tenths of a percent, and rare enough not to load B; at 20 the polls took about 3%
 *   of B's CPU).
 *
 * Each round prints both and sync's speed as a share of import's; the median round closes. The
 * issue's target: sync at least 80% of import speed. With SYNC_PROFILE_DIR=DIR, B runs under
 * `bun --cpu-prof-md --cpu-prof-dir DIR` and writes a markdown CPU profile there when it stops.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngineClient, type EngineClient } from '../src/engine/index.ts'
import { concatBytes, hexToBytes, type Hex } from '../src/primitives/index.ts'
import { openMemoryStore } from '../src/storage/index.ts'
import { startChild, type Spawned } from '../test/child-process.ts'
import { generateBenchChain } from './chain.ts'
import { importRun, type Throughput } from './engine.bench.ts'

const ROOT = join(import.meta.dir, '..')
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const POLL_MS = Number(process.env.POLL_MS ?? 50)
const PROFILE_DIR = process.env.SYNC_PROFILE_DIR
const ZERO32 = `0x${'00'.repeat(32)}`

interface NodeProc {
  rpcUrl: string
  enode: string
  engine: EngineClient
  child: Spawned<string>
}

/** `bin/mosaic --profile node --chain dev --datadir DIR` (under the CPU profiler with `profileDir`), once RPC, the Engine API and p2p are up. */
async function startNode(datadir: string, profileDir?: string): Promise<NodeProc> {
  const cmd = profileDir ? [process.execPath, '--cpu-prof-md', '--cpu-prof-dir', profileDir, join(ROOT, 'src/cli/main.ts')] : [join(ROOT, 'bin/mosaic')]
  const args = ['--profile', 'node', '--chain', 'dev', '--datadir', datadir, '--http.port', '0', '--authrpc.port', '0', '--port', '0', '--addr', '127.0.0.1', '--nodiscover']
  const child = await startChild([...cmd, ...args], {
    ready: { engine: /Engine API started.*endpoint=(http:\/\/\S+)/, rpc: /HTTP server started.*endpoint=(http:\/\/\S+)/, enode: /enode="?(enode:\/\/[0-9a-f]+@[\d.]+:\d+)/ },
    timeoutMs: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
    name: 'mosaic node',
  })
  const secret = hexToBytes(readFileSync(join(datadir, 'jwt.hex'), 'utf8').trim() as Hex)
  return { rpcUrl: child.match.rpc[1]!, enode: child.match.enode[1]!, engine: createEngineClient({ url: child.match.engine[1]!, secret }), child }
}

let id = 0
async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) })
  const body = (await r.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}

/** A fresh B synced from A to `head`: the time from the forkchoiceUpdated to eth_blockNumber at `number`. */
async function syncRun(a: NodeProc, datadir: string, head: Hex, number: number): Promise<Throughput> {
  const b = await startNode(datadir, PROFILE_DIR)
  try {
    if (!(await rpc<boolean>(b.rpcUrl, 'admin_addPeer', [a.enode]))) throw new Error('admin_addPeer refused A')
    const deadline = Date.now() + 20_000
    while (Number(await rpc<Hex>(b.rpcUrl, 'net_peerCount')) < 1) {
      if (Date.now() > deadline) throw new Error(`B did not connect to A:\n${b.child.log()}`)
      await Bun.sleep(POLL_MS)
    }
    const t0 = performance.now()
    const f = await b.engine.call<{ payloadStatus: { status: string } }>('engine_forkchoiceUpdatedV3', [{ headBlockHash: head, safeBlockHash: head, finalizedBlockHash: ZERO32 }, null])
    if (f.payloadStatus.status !== 'SYNCING') throw new Error(`forkchoiceUpdated to A's head: ${f.payloadStatus.status}`)
    while (Number(await rpc<Hex>(b.rpcUrl, 'eth_blockNumber')) < number) {
      if (b.child.proc.exitCode !== null) throw new Error(`B exited:\n${b.child.log()}`)
      await Bun.sleep(POLL_MS)
    }
    return { blocks: number, ms: performance.now() - t0 }
  } finally {
    await b.child.stop()
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

export async function run(blocks = 1000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-sync-bench-'))
  let a: NodeProc | undefined
  try {
    const t = performance.now()
    const chain = generateBenchChain(openMemoryStore(), blocks)
    const file = join(dir, 'chain.rlp')
    await Bun.write(file, concatBytes(...chain.rlp))
    const gas = Number(chain.gas.reduce((x, y) => x + y, 0n))
    const n = chain.rlp.length
    console.log(
      `\nSync from a node process on loopback vs mosaic import of the same blocks (${n} blocks, ${chain.txs} txs, ${(gas / 1e6).toFixed(1)} Mgas, ` +
        `generated in ${((performance.now() - t) / 1000).toFixed(1)}s; dev chain, RocksDB each)`,
    )
    const seeded = importRun(join(dir, 'a'), 'dev', file)
    if (seeded.blocks !== n) throw new Error(`A holds ${seeded.blocks} blocks, expected ${n}`)
    a = await startNode(join(dir, 'a'))
    const head = await rpc<{ hash: Hex; number: Hex }>(a.rpcUrl, 'eth_getBlockByNumber', ['latest', false])
    if (Number(head.number) !== n) throw new Error(`A's head is block ${Number(head.number)}, expected ${n}`)
    const row = (name: string, r: Throughput) =>
      console.log(`  ${name.padEnd(22)} ${(r.ms / 1000).toFixed(2).padStart(6)}s  ${((r.blocks * 1000) / r.ms).toFixed(0).padStart(5)} blocks/s  ${(gas / 1e3 / r.ms).toFixed(1).padStart(6)} Mgas/s`)
    const ratios: number[] = []
    // alternating, so that both meet the same quiet and noisy spells of the shared machine
    for (let round = 1; round <= ROUNDS; round++) {
      const imp = importRun(join(dir, `import-${round}`), 'dev', file)
      row(`round ${round}: mosaic import`, imp)
      const sync = await syncRun(a, join(dir, `b-${round}`), head.hash, n)
      row(`round ${round}: sync from A`, sync)
      ratios.push((imp.ms / sync.ms) * 100)
      console.log(`  round ${round}: sync at ${ratios[round - 1]!.toFixed(0)}% of import speed`)
      rmSync(join(dir, `import-${round}`), { recursive: true, force: true })
      rmSync(join(dir, `b-${round}`), { recursive: true, force: true })
    }
    console.log(`  sync at ${ratios.map((r) => `${r.toFixed(0)}%`).join(', ')} of import speed; median ${median(ratios).toFixed(0)}% (target: at least 80%)`)
  } finally {
    await a?.child.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) await run(process.argv[2] ? Number(process.argv[2]) : undefined)
