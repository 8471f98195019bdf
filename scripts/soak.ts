/**
 * `make soak`: the execution profile under a steady mixed load for SOAK_MINUTES (default 10),
 * as a user's tools would drive it: reads (eth_blockNumber, getBalance, getBlockByNumber,
 * eth_call), transactions sent by the dev accounts (each mined), log filters polled, a
 * WebSocket newHeads subscription, and JSON-RPC batches. Every REPORT_SECONDS (default 30) it
 * prints the requests done, p50/p99 latency and the node's RSS. The RSS at the warm-up's end
 * (the median of the three reports from WARMUP_SECONDS, default 180, on) may grow by at most
 * 20% to the end (the median of the last three reports), else the run fails (exit 1); medians,
 * because a collection moves a single reading by a hundred MiB either way. Any failed request
 * fails the run too; the first distinct error messages are printed.
 * The node keeps its chain on disk in a temporary data directory, as `make run` does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = join(import.meta.dir, '..')
const DATADIR = mkdtempSync(join(tmpdir(), 'mosaic-soak-'))
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10)
const REPORT_S = Number(process.env.REPORT_SECONDS ?? 30)
/** Caches, JIT and the RocksDB block cache fill during the first two to three minutes (RSS climbs, then holds): growth counts from there. */
const WARMUP_S = Number(process.env.WARMUP_SECONDS ?? 180)
const CLIENTS = 8
const MAX_GROWTH = 0.2
const ALICE = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const BOB = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : Number.NaN
}

async function startNode(): Promise<{ url: string; ws: string; proc: ReturnType<typeof Bun.spawn> }> {
  // on disk, as a user's dev node runs (`make run`): an in-memory chain grows with every block by design
  const proc = Bun.spawn([process.execPath, join(ROOT, 'src/cli/main.ts'), '--profile', 'execution', '--datadir', DATADIR, '--http.port', '0', '--silent'], { stdout: 'ignore', stderr: 'ignore' })
  // --silent prints nothing, so the port is found by asking: try until the process listens
  const port = await findPort(proc.pid)
  return { url: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}`, proc }
}

/** The TCP port a process listens on, from /proc (the node is silent). */
async function findPort(pid: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const inodes = new Set<string>()
    try {
      for (const fd of require('node:fs').readdirSync(`/proc/${pid}/fd`)) {
        const link = require('node:fs').readlinkSync(`/proc/${pid}/fd/${fd}`) as string
        const m = /socket:\[(\d+)\]/.exec(link)
        if (m) inodes.add(m[1]!)
      }
      for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/)
        if (f[3] === '0A' && inodes.has(f[9]!)) return Number.parseInt(f[1]!.split(':')[1]!, 16)
      }
    } catch {}
    await Bun.sleep(100)
  }
  throw new Error('the node did not listen within 20 s')
}

let id = 0
async function call(url: string, body: unknown): Promise<unknown> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const j = (await r.json()) as { error?: { message: string } } | unknown[]
  if (!Array.isArray(j) && j.error) throw new Error(j.error.message)
  return j
}
const req = (method: string, params: unknown[] = []) => ({ jsonrpc: '2.0', id: ++id, method, params })

const latencies: number[] = []
let errors = 0
const errorMessages = new Map<string, number>()
async function timed(f: () => Promise<unknown>): Promise<void> {
  const t = performance.now()
  try {
    await f()
  } catch (e) {
    errors++
    const m = String(e instanceof Error ? e.message : e).slice(0, 200)
    errorMessages.set(m, (errorMessages.get(m) ?? 0) + 1)
  }
  latencies.push(performance.now() - t)
}

async function client(url: string, i: number, until: number): Promise<void> {
  let filter: string | undefined
  while (Date.now() < until) {
    switch (i++ % 8) {
      case 0:
        await timed(() => call(url, req('eth_blockNumber')))
        break
      case 1:
        await timed(() => call(url, req('eth_getBalance', [ALICE, 'latest'])))
        break
      case 2:
        await timed(() => call(url, req('eth_getBlockByNumber', ['latest', true])))
        break
      case 3:
        await timed(() => call(url, req('eth_call', [{ from: ALICE, to: BOB, data: '0x' }, 'latest'])))
        break
      case 4:
        await timed(() => call(url, req('eth_sendTransaction', [{ from: ALICE, to: BOB, value: '0x1' }])))
        break
      case 5:
        await timed(async () => {
          if (!filter) filter = ((await call(url, req('eth_newFilter', [{ fromBlock: 'latest' }]))) as { result: string }).result
          await call(url, req('eth_getFilterChanges', [filter]))
        })
        break
      case 6:
        await timed(() => call(url, Array.from({ length: 20 }, (_, k) => req(k % 2 ? 'eth_chainId' : 'eth_getTransactionCount', k % 2 ? [] : [BOB, 'latest']))))
        break
      default:
        await timed(() => call(url, req('eth_feeHistory', ['0x10', 'latest', [50]])))
    }
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN
}

const node = await startNode()
const ws = new WebSocket(node.ws)
let heads = 0
ws.onopen = () => ws.send(JSON.stringify(req('eth_subscribe', ['newHeads'])))
ws.onmessage = (m) => {
  if (String(m.data).includes('eth_subscription')) heads++
}
const until = Date.now() + MINUTES * 60_000
const clients = Array.from({ length: CLIENTS }, (_, i) => client(node.url, i, until))
const readings: { at: number; rss: number }[] = []
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
let total = 0
console.log(`soak: ${MINUTES} min, ${CLIENTS} clients, report every ${REPORT_S} s (node pid ${node.proc.pid})`)
const timer = setInterval(() => {
  const rss = rssMiB(node.proc.pid!)
  const window = latencies.splice(0)
  total += window.length
  const elapsed = (MINUTES * 60_000 - (until - Date.now())) / 1000
  readings.push({ at: elapsed, rss })
  console.log(`t=${Math.round(elapsed)}s requests=${window.length} p50=${pct(window, 50).toFixed(2)}ms p99=${pct(window, 99).toFixed(2)}ms rss=${rss.toFixed(0)}MiB heads=${heads} errors=${errors}`)
}, REPORT_S * 1000)
await Promise.all(clients)
clearInterval(timer)
readings.push({ at: MINUTES * 60, rss: rssMiB(node.proc.pid!) })
ws.close()
node.proc.kill('SIGTERM')
await node.proc.exited
rmSync(DATADIR, { recursive: true, force: true })
const afterWarmup = readings.filter((r) => r.at >= WARMUP_S - 1)
if (afterWarmup.length < 6) {
  console.log(`FAIL: too short to judge: ${afterWarmup.length} reports after the ${WARMUP_S} s warm-up, 6 needed (SOAK_MINUTES, WARMUP_SECONDS, REPORT_SECONDS)`)
  process.exit(1)
}
const baseline = median(afterWarmup.slice(0, 3).map((r) => r.rss))
const end = median(afterWarmup.slice(-3).map((r) => r.rss))
const growth = (end - baseline) / baseline
console.log(
  `soak done: ${total + latencies.length} requests, ${errors} errors, ${heads} newHeads; RSS at start ${readings[0]!.rss.toFixed(0)} MiB, after the warm-up ${baseline.toFixed(0)} MiB, ` +
    `at the end ${end.toFixed(0)} MiB (growth ${(growth * 100).toFixed(1)}%, limit ${MAX_GROWTH * 100}%)`,
)
for (const [m, n] of [...errorMessages].slice(0, 5)) console.log(`  error x${n}: ${m}`)
if (growth > MAX_GROWTH || errors > 0) {
  console.log(growth > MAX_GROWTH ? 'FAIL: RSS grew past the limit' : 'FAIL: requests failed')
  process.exit(1)
}
