/**
 * The testbed's report: `report.json` (everything measured, per store and per window, for
 * machines and for the charts), `report.md` (the verdict and the numbers for people) and
 * `report.html` (the same with charts against the state's size, ./report-html.ts); written by
 * ./report-files.ts.
 */
import { bytesToHex } from '../../primitives/index.ts'
import type { Percentiles } from './meter.ts'
import type { TestbedResult } from './run.ts'

export interface ReportContext {
  version: string
  chain: { name: string; chainId: string }
  source: string
  verifyEvery: number
  rootEvery: number
  window: number
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits))

/** How the per-store CPU, RSS and writes are measured (./usage.ts), for the reports. */
export const USAGE_METHOD =
  "Per-store CPU, RSS and writes are measured, not estimated: the stores' calls (apply, revert, flush) run one at a time, and around each the calling thread's CPU (process.threadCpuUsage), its bytes written (/proc/thread-self/io write_bytes: pages the kernel counts as sent to storage; wchar: bytes passed to write calls) and the process's RSS growth are added to that store. RocksDB's background threads (rocksdb:*, from /proc/self/task) are added to the rocksdb store when it is their only user (the chain in memory); a PostgreSQL store adds its server backend's CPU and write_bytes (/proc/<pid> of pg_backend_pid(), when the server runs on this machine; pages the checkpointer writes later are not in it). Write amplification is bytes written (write_bytes) over the logical bytes of the diffs applied (keys and values in the chain's flat-table units). RSS growth is the process's resident set growth during the store's synchronous calls (memory a store keeps; garbage collected later is not subtracted); for a PostgreSQL store it is its server backend's RSS."

const pct = (p: Percentiles) => ({ p50: round(p.p50), p99: round(p.p99), max: round(p.max) })

/** The report as plain JSON data. */
export function reportJson(r: TestbedResult, ctx: ReportContext) {
  return {
    tool: `mosaic statesync ${ctx.version}`,
    generatedAt: new Date().toISOString(),
    chain: ctx.chain,
    source: ctx.source,
    head: { number: Number(r.head.number), hash: bytesToHex(r.head.hash) },
    blocksProcessed: r.processed,
    interrupted: r.interrupted,
    elapsedMs: round(r.elapsedMs, 1),
    notifications: r.notifications,
    state: r.state,
    verify: { every: ctx.verifyEvery, rootEvery: ctx.rootEvery, checks: r.checks, probes: r.probes, full: !r.interrupted },
    window: ctx.window,
    process: { rssMaxBytes: r.rssMaxBytes, cpuUserMs: round(r.cpu.userMs, 1), cpuSystemMs: round(r.cpu.systemMs, 1), ...(r.sharedBackground ? { sharedRocksdbBackground: r.sharedBackground } : {}) },
    method: USAGE_METHOD,
    verdict: r.stores.some((s) => s.failure) ? 'fail' : r.interrupted ? 'interrupted' : 'pass',
    stores: r.stores.map((s) => {
      const m = s.meter.summary()
      return {
        name: s.name,
        kind: s.kind,
        status: s.failure ? (s.failure.mismatch ? 'mismatch' : 'failed') : r.interrupted ? 'interrupted' : 'verified',
        failure: s.failure && {
          message: s.failure.message,
          block: Number(s.failure.block.number),
          ...(s.failure.mismatch
            ? {
                key: s.failure.mismatch.key,
                expected: s.failure.mismatch.expected,
                actual: s.failure.mismatch.actual,
                lastWritten: s.failure.mismatch.lastWritten && { number: Number(s.failure.mismatch.lastWritten.number), hash: bytesToHex(s.failure.mismatch.lastWritten.hash) },
              }
            : {}),
        },
        head: s.head && { number: Number(s.head.number), hash: bytesToHex(s.head.hash) },
        commits: m.commits,
        reverts: m.reverts,
        diffEntries: m.entries,
        applyMs: { ...pct(m.applyMs), total: round(m.applyMs.total, 1) },
        entriesPerSecond: Math.round(m.entriesPerSecond),
        flushMs: { total: round(m.flushMs.total, 1), count: m.flushMs.count },
        readUs: s.reads && { first: pct(s.reads.first), repeat: pct(s.reads.repeat) },
        bytesOnDisk: s.stats?.bytesOnDisk ?? 0,
        spaceAmplification: s.stats && r.state.logicalBytes > 0 && s.stats.bytesOnDisk > 0 ? round(s.stats.bytesOnDisk / r.state.logicalBytes, 2) : null,
        entries: s.stats?.entries,
        transitions: s.stats?.transitions,
        stateRoot: s.stateRoot,
        stateRootChecks: s.rootChecks,
        cpuMs: s.usage ? round(s.usage.cpuMs, 1) : null,
        rssGrowthBytes: s.usage ? (s.usage.server?.rssBytes ?? s.usage.calls.rssGrowthBytes) : null,
        writeBytes: s.usage?.writeBytes ?? null,
        writeAmplification: s.usage?.writeAmplification == null ? null : round(s.usage.writeAmplification, 2),
        usage: s.usage,
        windows: s.meter.windows.map((w) => ({ ...w, applyMs: pct(w.applyMs), readUs: pct(w.readUs), entriesPerSecond: Math.round(w.entriesPerSecond), cpuMs: round(w.cpuMs, 1) })),
      }
    }),
  }
}

export type Report = ReturnType<typeof reportJson>

const MiB = (n: number) => (n / 1024 / 1024).toFixed(1)
export const cpuS = (ms: number | null) => (ms == null ? '–' : (ms / 1000).toFixed(2))
const g = (n: number) => n.toLocaleString('en-US')

export function reportMarkdown(j: Report): string {
  const lines = [
    `# statesync report: ${j.verdict === 'pass' ? 'every store verified' : j.verdict === 'interrupted' ? 'interrupted (no full comparison)' : 'FAILED'}`,
    '',
    `- chain: ${j.chain.name} (chain id ${j.chain.chainId}), source \`${j.source}\``,
    `- head: block ${j.head.number} ${j.head.hash}; ${g(j.blocksProcessed)} blocks processed in ${(j.elapsedMs / 1000).toFixed(1)} s${j.interrupted ? ' (interrupted)' : ''}`,
    `- notifications: ${j.notifications.committed} committed, ${j.notifications.reorged} reorged, ${j.notifications.reverted} reverted`,
    `- state at the head: ${g(j.state.accounts)} accounts, ${g(j.state.slots)} slots, ${MiB(j.state.logicalBytes)} MiB of flat entries`,
    `- verification: ${j.verify.every ? `sampled every ${j.verify.every} blocks (${g(j.verify.checks)} checks, ${g(j.verify.probes)} reads)` : 'no sampled checks'}${j.verify.full ? ', then every entry compared' : ''}; state roots (stores that keep one) ${j.verify.rootEvery ? `every ${j.verify.rootEvery} blocks and ` : ''}at the end`,
    `- process: RSS at most ${MiB(j.process.rssMaxBytes)} MiB, CPU ${(j.process.cpuUserMs / 1000).toFixed(1)} s user, ${(j.process.cpuSystemMs / 1000).toFixed(1)} s system (all stores and the chain in one process)`,
    '',
    '| store | status | apply p50 / p99 / max (ms) | diff entries/s | read p50 / p99 (µs, first / repeat) | on disk (MiB) | space amp. | CPU (s) | RSS growth (MiB) | written (MiB) | write amp. | transitions |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const s of j.stores) {
    const reads = s.readUs ? `${s.readUs.first.p50} / ${s.readUs.first.p99}, ${s.readUs.repeat.p50} / ${s.readUs.repeat.p99}` : '–'
    lines.push(
      `| ${s.name} | ${s.status} | ${s.applyMs.p50} / ${s.applyMs.p99} / ${s.applyMs.max} | ${g(s.entriesPerSecond)} | ${reads} | ${MiB(s.bytesOnDisk)} | ${s.spaceAmplification ?? '–'} | ${cpuS(s.cpuMs)} | ${s.rssGrowthBytes == null ? '–' : MiB(s.rssGrowthBytes)} | ${s.writeBytes == null ? '–' : MiB(s.writeBytes)} | ${s.writeAmplification ?? '–'} | ${s.transitions ?? '–'} |`,
    )
  }
  const failures = j.stores.filter((s) => s.failure)
  if (failures.length) {
    lines.push('', '## Failures', '')
    for (const s of failures) lines.push(`- ${s.failure!.message}`)
  }
  for (const s of j.stores) {
    if (s.windows.length === 0) continue
    lines.push('', `## ${s.name}: per window of ${j.window} blocks`, '', '| block | accounts | slots | apply p50 / p99 / max (ms) | entries/s | read p50 / p99 (µs) | on disk (MiB) | RSS (MiB) |', '| --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const w of s.windows)
      lines.push(`| ${w.block} | ${g(w.accounts)} | ${g(w.slots)} | ${w.applyMs.p50} / ${w.applyMs.p99} / ${w.applyMs.max} | ${g(w.entriesPerSecond)} | ${w.readUs.p50} / ${w.readUs.p99} | ${MiB(w.bytesOnDisk)} | ${MiB(w.rssBytes)} |`)
  }
  lines.push('', 'Apply time is the store\'s `apply`/`revert` call per block; diff entries are accounts, slots and codes written. "first" reads are the first of a key in the final pass, "repeat" the same keys again (the OS cache is not dropped). Space amplification is bytes on disk over the bytes of Mosaic\'s flat entries.', '', `Method: ${USAGE_METHOD}`, '')
  return lines.join('\n')
}
