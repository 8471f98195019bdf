/**
 * The state-diff stream: `bun bench/statediff.bench.ts [BLOCKS]`.
 *
 * A generated workload chain (transfers, token and storage churn, creations, self-destructs;
 * BLOCKS blocks, default 200) is written to an RLP file, then, in the same run:
 * - block import of that file with the stream off (no subscriber: the node's default), with one
 *   subscriber that only receives (the cost of building the diffs and delivering them), and with
 *   a memory store applying them; as blocks/s with the ratio to the import without the stream
 *   (the target: under 10% overhead);
 * - diff entries per second applied to each built-in local store (memory, rocksdb, sqlite,
 *   lmdb), from the same diffs, one block per apply as the stream delivers them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Blockchain, createBlockFileWriter, importBlockStream, readBlockFile } from '../src/blockchain/index.ts'
import { BUILTIN_STORES, chainDiffSource, createStateDiffStream, diffEntries, openMemoryStateStore, type BlockDiff, type DiffConsumer } from '../src/statediff/index.ts'
import { generateWorkload, openWorkloadChain, parseWorkloadSpec, workloadChainSpec } from '../src/statediff/workload/index.ts'
import { openMemoryStore } from '../src/storage/index.ts'
import { interleavedBest, report, timeOnce, type Measurement } from './harness.ts'

export async function run(blocks = 200): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-bench-statediff-'))
  try {
    const spec = parseWorkloadSpec(`generate:blocks=${blocks},accounts=${blocks * 30},slots=${blocks * 150},seed=11`)
    const file = join(dir, 'chain.rlp')
    const source = openWorkloadChain(spec)
    const writer = createBlockFileWriter(file)
    for (const b of generateWorkload(source, spec)) await writer.write(b.rlp)
    await writer.close()

    /** Imports the file into a fresh memory chain; with `consumer`, a subscription follows every block. */
    const importWith = (consumer?: DiffConsumer) => async () => {
      const chain = Blockchain.open(openMemoryStore(), workloadChainSpec(spec))
      const stream = createStateDiffStream(chainDiffSource(chain))
      const sub = consumer && stream.subscribe(consumer, { name: 'bench' })
      await importBlockStream(chain, readBlockFile(file), { onBlock: sub ? () => sub.caughtUp() : undefined })
      stream.close()
    }
    // a fresh memory store per run: block 0's diff starts it
    let memory = openMemoryStateStore()
    const intoMemory = (d: BlockDiff) => {
      if (d.number === 0n) memory = openMemoryStateStore()
      memory.apply(d)
    }
    const variants: { name: string; run: () => Promise<void> }[] = [
      { name: 'import, stream off (no subscriber)', run: importWith() },
      { name: 'import, stream on (one subscriber)', run: importWith({ onCommit: () => {} }) },
      { name: 'import, stream on into a memory store', run: importWith({ onCommit: intoMemory }) },
    ]
    const best = await interleavedBest(variants)
    const rowsImport: Measurement[] = variants.map((v, i) => ({ name: v.name, opsPerSec: (blocks * 1000) / best[i]!, opsPerCall: blocks }))
    report(`state-diff stream overhead on import (${blocks} generated blocks, blocks/s)`, rowsImport, rowsImport[0]!)
    console.log(`  overhead of the stream: ${((best[1]! / best[0]! - 1) * 100).toFixed(1)}% (target: under 10%)`)

    // the same diffs into each store
    const diffs: BlockDiff[] = []
    const stream = createStateDiffStream(chainDiffSource(source))
    for (let n = 0n; n <= source.head().number; n++) diffs.push(stream.diffOf({ number: n, hash: source.canonicalHash(n)! }))
    stream.close()
    const entries = diffs.reduce((n, d) => n + diffEntries(d), 0)
    const rows: Measurement[] = []
    for (const name of ['memory', 'rocksdb', 'sqlite', 'lmdb']) {
      let run = 0
      const m = await timeOnce(
        name,
        async () => {
          const s = await BUILTIN_STORES[name]!({ dir: join(dir, `${name}-${++run}`) })
          for (const d of diffs) {
            const r = s.apply(d)
            if (r) await r
          }
          await s.flush()
          await s.close()
        },
        2,
      )
      rows.push({ name: `${name} store`, opsPerSec: m.opsPerSec * entries, opsPerCall: entries })
    }
    report(`diff entries applied per second (${entries.toLocaleString('en-US')} entries in ${diffs.length} blocks)`, rows, rows[0]!)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) await run(process.argv[2] ? Number(process.argv[2]) : undefined)
