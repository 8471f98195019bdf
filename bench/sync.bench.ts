/**
 * Sync from a local peer against import of the same blocks: `bun bench/sync.bench.ts [BLOCKS]`.
 *
 * The import bench's chain (ERC-20 and ETH transfers, default 1,000 blocks) is built once. Mosaic
 * imports its RLP file into a fresh memory chain (`mosaic import`'s path); then a fresh memory
 * chain syncs it over RLPx on loopback from an eth service serving the built chain, driven by
 * the syncer to the chain's head. Both in this process (the serving peer shares the thread, so
 * the ratio is a lower bound). The issue's target: sync at least 80% of import speed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Blockchain, importBlockStream, readBlockFile } from '../src/blockchain/index.ts'
import { dev } from '../src/chainspec/index.ts'
import { ETH68, ETH69, publicKeyOf, randomPrivateKey, startEthService, startPeerManager } from '../src/p2p/internals.ts'
import { concatBytes } from '../src/primitives/index.ts'
import { openMemoryStore } from '../src/storage/index.ts'
import { createSyncer } from '../src/sync/index.ts'
import { generateBenchChain } from './chain.ts'

async function syncFrom(source: Blockchain): Promise<number> {
  const b = Blockchain.open(openMemoryStore(), dev)
  const key = randomPrivateKey()
  const opts = { clientId: 'mosaic/bench', capabilities: [ETH68, ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 5 }
  const pa = await startPeerManager({ ...opts, privateKey: key, port: 0 })
  const pb = await startPeerManager({ ...opts, privateKey: randomPrivateKey() })
  const ea = startEthService({ peers: pa, chain: source, spec: dev })
  const eb = startEthService({ peers: pb, chain: b, spec: dev })
  const syncer = createSyncer({ chain: b, eth: eb, db: b.db })
  try {
    await pb.dial('127.0.0.1', pa.port, publicKeyOf(key))
    while (eb.peers.size === 0) await Bun.sleep(1)
    syncer.start()
    const t = performance.now()
    syncer.setTarget({ hash: source.headBlockHash() })
    while (b.head().number < source.head().number) await Bun.sleep(5)
    return performance.now() - t
  } finally {
    await syncer.stop()
    ea.stop()
    eb.stop()
    await pa.close()
    await pb.close()
  }
}

export async function run(blocks = 1000): Promise<void> {
  console.log('\nSync from a local peer (RLPx on loopback, one process) vs import of the same blocks (dev chain, memory)')
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-sync-bench-'))
  try {
    const db = openMemoryStore()
    const chain = generateBenchChain(db, blocks)
    const source = Blockchain.open(db, dev)
    const file = join(dir, 'chain.rlp')
    await Bun.write(file, concatBytes(...chain.rlp))
    const gas = chain.gas.reduce((a, b) => a + b, 0n)
    const n = chain.rlp.length
    const t = performance.now()
    await importBlockStream(Blockchain.open(openMemoryStore(), dev), readBlockFile(file))
    const importMs = performance.now() - t
    const syncMs = await syncFrom(source)
    const row = (name: string, ms: number) =>
      console.log(`  ${name.padEnd(7)} ${n} blocks in ${(ms / 1000).toFixed(2).padStart(6)}s  ${(n / (ms / 1000)).toFixed(0).padStart(5)} blocks/s  ${(Number(gas) / 1e3 / ms).toFixed(1).padStart(6)} Mgas/s`)
    row('import', importMs)
    row('sync', syncMs)
    console.log(`  sync at ${((importMs / syncMs) * 100).toFixed(0)}% of import speed (target: 80%)`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) await run(process.argv[2] ? Number(process.argv[2]) : undefined)
