/**
 * `mosaic statesync --source nats://…`: each `--store` catches up with a Mosaic state-diff
 * stream on NATS JetStream, as it is when the command starts, through a durable consumer of its
 * own (src/statediff/nats-source.ts), and the command exits. A rerun (after a crash, or once the
 * stream has grown) resumes from each consumer's acknowledged sequence. The long-running form,
 * which also serves RPC, is `mosaic --profile statesync --source nats://…`.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { bytesToHex } from '../../primitives/index.ts'
import { openNatsSource, type NatsSource, type StateStore } from '../../statediff/index.ts'
import { UsageError } from '../command.ts'
import { grouped, type ChainCommandDeps } from './import-export.ts'
import { openStore, storeLabel } from './statesync-stores.ts'

export interface NatsCatchUp {
  url: string
  storeSpecs: string[]
  storesDir?: string
  replica?: string
}

/** A consumer name that stays the same for the same store directory. */
const consumerFor = (label: string, dir: string) => `statesync-${label.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32)}-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`

export async function runNatsCatchUp(o: NatsCatchUp, deps: ChainCommandDeps): Promise<number> {
  if (o.storeSpecs.length === 0) throw new UsageError('give at least one --store for the NATS source to feed')
  if (o.replica && o.storeSpecs.length > 1) throw new UsageError('--replica names one consumer: give one --store with it')
  const temp = o.storesDir ? undefined : mkdtempSync(join(tmpdir(), 'mosaic-statesync-'))
  const storesDir = resolve(o.storesDir ?? temp!)
  const opened: { name: string; store: StateStore; source: NatsSource }[] = []
  try {
    const names = new Set<string>()
    for (const spec of o.storeSpecs) {
      let label = storeLabel(spec)
      for (let i = 2; names.has(label); i++) label = `${storeLabel(spec)}-${i}`
      names.add(label)
      const dir = join(storesDir, label)
      const { store } = await openStore(spec, dir)
      const entry = { name: label, store, source: undefined as unknown as NatsSource }
      opened.push(entry)
      entry.source = await openNatsSource({ url: o.url, consumer: o.replica ?? consumerFor(label, dir) })
    }
    const lines: string[] = []
    for (const s of opened) {
      const until = await s.source.lastSequence()
      const from = await s.source.acknowledged()
      const t = performance.now()
      const feed = await s.source.feed(s.store, { until })
      await feed.done
      const head = await s.store.head()
      const secs = (performance.now() - t) / 1000
      lines.push(
        `${s.name}: block ${head ? `${head.number} ${bytesToHex(head.hash)}` : 'none'}; messages ${from + 1}..${until} of ${s.source.stream}: ${grouped(feed.applied)} applied` +
          `${feed.skipped ? `, ${feed.skipped} held already` : ''} in ${secs.toFixed(1)} s`,
      )
    }
    deps.out(`statesync: caught up with ${opened[0]!.source.stream} (chain ${opened[0]!.source.chainId})\n${lines.map((l) => `  ${l}\n`).join('')}`)
    return 0
  } catch (e) {
    if (e instanceof UsageError) throw e
    deps.err(`mosaic statesync: ${e instanceof Error ? e.message : String(e)}${(e as { details?: string }).details ? `: ${(e as { details?: string }).details}` : ''}\n`)
    return 1
  } finally {
    for (const s of opened) {
      await s.source?.close().catch(() => {})
      await s.store.close().catch((e) => deps.err(`mosaic statesync: closing ${s.name}: ${e instanceof Error ? e.message : String(e)}\n`))
    }
    if (temp) rmSync(temp, { recursive: true, force: true })
  }
}
