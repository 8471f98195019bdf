/**
 * `--metrics` as an operator uses it: a real Prometheus server (Debian's `prometheus`, started
 * here on loopback with a temporary directory and a generated config scraping every second)
 * scrapes a running `bin/mosaic` dev node, and its HTTP API answers `chain_head_block` equal to
 * the node's eth_blockNumber. `promtool check metrics` finds nothing to say about the text at
 * `/metrics`. The txpool and node profiles, and `mosaic statesync`, serve metrics too. Skipped, with a message, only
 * when /usr/bin/prometheus is absent.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signJwt } from '../../src/engine/index.ts'
import { startChild, type Spawned } from '../child-process.ts'

const ROOT = join(import.meta.dir, '../..')
const MOSAIC = join(ROOT, 'bin/mosaic')
const PROMETHEUS = '/usr/bin/prometheus'
const PROMTOOL = '/usr/bin/promtool'
const DEV_ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'

const dirs: string[] = []
const children: Spawned<string>[] = []
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')))
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'mosaic-metrics-'))
  dirs.push(d)
  return d
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

/** A port free on loopback right now (Prometheus takes a fixed one). */
function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = s.port
  s.stop(true)
  return port
}

/** `promtool check metrics` of `text`: its exit code and everything it printed. */
async function promtoolCheck(text: string): Promise<{ code: number; out: string }> {
  const p = Bun.spawn([PROMTOOL, 'check', 'metrics'], { stdin: new TextEncoder().encode(text), stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out: out + err }
}

/** The value of a metric sample in the text exposition (the first line that starts with `series`). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** The queries of the Grafana dashboard, `$job` matching any job. */
function dashboardQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'docs/grafana/mosaic.json'), 'utf8')) as { panels: { targets: { expr: string }[] }[] }
  return dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr.replaceAll('$job', '.*')))
}

/** The metric families the queries name that the exposition `text` lacks. */
function missingFamilies(text: string, exprs: string[]): string[] {
  const families = new Set(text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]!))
  const named = exprs.flatMap((e) => e.match(/\b(chain|txpool|p2p|rpc|engine|db|process)_[a-z_]+/g) ?? []).map((n) => n.replace(/_bucket$/, ''))
  return [...new Set(named)].filter((n) => !families.has(n))
}

async function startNode(args: string[]): Promise<{ node: Spawned<'metrics'>; metricsUrl: string }> {
  const node = await startChild([MOSAIC, ...args, '--metrics', '--metrics.port', '0'], { ready: { metrics: /Starting metrics server .*addr=(http:\/\/[^/\s]+)/ }, timeoutMs: 30_000 })
  children.push(node)
  return { node, metricsUrl: node.match.metrics[1]! }
}

if (!existsSync(PROMETHEUS)) {
  console.warn(`[skip] metrics scraped by Prometheus: ${PROMETHEUS} is absent (Debian package prometheus)`)
  describe.skip('metrics scraped by Prometheus (prometheus absent)', () => {})
} else {
  describe('metrics scraped by Prometheus', () => {
    test('chain_head_block from the Prometheus API equals eth_blockNumber; promtool finds nothing', async () => {
      const datadir = tmp()
      const node = await startChild([MOSAIC, '--datadir', datadir, '--http.port', '0', '--metrics', '--metrics.port', '0'], {
        ready: { rpc: /HTTP server started .*endpoint=(http:\/\/\S+)/, metrics: /Starting metrics server .*addr=(http:\/\/[^/\s]+)/ },
        timeoutMs: 30_000,
      })
      children.push(node)
      const rpcUrl = node.match.rpc[1]!
      const metricsUrl = node.match.metrics[1]!
      for (let i = 0; i < 3; i++) await rpc(rpcUrl, 'eth_sendTransaction', [{ from: DEV_ACCOUNT, to: '0x' + '11'.repeat(20), value: '0x1' }])
      await rpc(rpcUrl, 'no_such_method').catch(() => undefined)
      const head = Number(await rpc(rpcUrl, 'eth_blockNumber'))
      expect(head).toBe(3)

      // the text: both paths, promtool-clean, and the families the issue names
      const text = await (await fetch(`${metricsUrl}/metrics`)).text()
      expect(await (await fetch(`${metricsUrl}/debug/metrics/prometheus`)).text()).toContain('chain_head_block 3')
      expect((await fetch(`${metricsUrl}/elsewhere`)).status).toBe(404)
      expect(await promtoolCheck(text)).toEqual({ code: 0, out: '' })
      expect(sample(text, 'chain_head_block')).toBe(3)
      expect(sample(text, 'chain_imported_blocks_total')).toBe(3)
      expect(sample(text, 'chain_imported_gas_total')).toBe(3 * 21_000)
      expect(sample(text, 'chain_execution_seconds_count')).toBe(3)
      expect(sample(text, 'chain_commit_seconds_count')).toBe(3)
      expect(sample(text, 'chain_mgasps')).toBeGreaterThan(0)
      expect(sample(text, 'chain_head_timestamp')).toBeGreaterThan(1_600_000_000)
      expect(sample(text, 'txpool_pending')).toBe(0)
      expect(sample(text, 'txpool_queued')).toBe(0)
      expect(sample(text, 'txpool_blobs')).toBe(0)
      expect(sample(text, 'rpc_requests_total{method="eth_sendTransaction",result="success"}')).toBe(3)
      expect(sample(text, 'rpc_requests_total{method="other",result="failure"}')).toBe(1)
      expect(sample(text, 'rpc_duration_seconds_count{method="eth_sendTransaction",result="success"}')).toBe(3)
      expect(sample(text, 'db_size_bytes')).toBeGreaterThan(0)
      expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000)
      expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0)

      // Prometheus scrapes it every second
      const promDir = tmp()
      const promPort = freePort()
      const target = new URL(metricsUrl).host
      writeFileSync(
        join(promDir, 'prometheus.yml'),
        `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: mosaic\n    metrics_path: /debug/metrics/prometheus\n    static_configs:\n      - targets: ['${target}']\n`,
      )
      const prom = await startChild(
        [PROMETHEUS, `--config.file=${join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
        { ready: { up: /Server is ready to receive web requests/ }, timeoutMs: 30_000, name: 'prometheus' },
      )
      children.push(prom)
      const query = async (q: string) => {
        const res = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { status: string; data: { result: { value: [number, string] }[] } }
        expect(res.status).toBe('success')
        return res.data.result.map((r) => Number(r.value[1]))
      }
      let scraped: number[] = []
      for (let i = 0; i < 60 && scraped[0] !== head; i++) {
        await Bun.sleep(500)
        scraped = await query('chain_head_block')
      }
      expect(scraped).toEqual([Number(await rpc(rpcUrl, 'eth_blockNumber'))])
      expect(await query('up{job="mosaic"}')).toEqual([1])
      expect(await query('rpc_requests_total{method="eth_sendTransaction"}')).toEqual([3])

      // the Grafana dashboard asks only for metrics the node serves (p2p and Engine API ones: the
      // node profile's test), in queries Prometheus accepts
      const exprs = dashboardQueries()
      expect(exprs.length).toBeGreaterThan(15)
      expect(missingFamilies(text, exprs).filter((n) => !/^(p2p|engine)_/.test(n))).toEqual([])
      for (const e of exprs) {
        const res = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(e)}`)).json()) as { status: string }
        expect(res.status).toBe('success')
      }
      await prom.stop()
      await node.stop()
    }, 90_000)

    test('the txpool profile serves metrics: pool counts, peers, RPC calls; promtool finds nothing', async () => {
      const { node, metricsUrl } = await startNode(['--txpool-only', '--chain', 'dev', '--datadir', tmp(), '--nodiscover', '--port', '0', '--http.port', '0'])
      const text = await (await fetch(`${metricsUrl}/metrics`)).text()
      expect(await promtoolCheck(text)).toEqual({ code: 0, out: '' })
      expect(sample(text, 'chain_head_block')).toBe(0)
      expect(sample(text, 'txpool_pending')).toBe(0)
      expect(text).toContain('# TYPE p2p_peers gauge')
      expect(text).toContain('# TYPE rpc_requests_total counter')
      expect(text).not.toContain('db_size_bytes')
      await node.stop()
    }, 60_000)

    test('p2p_peers counts connected peers by direction and client', async () => {
      const start = async () => {
        const n = await startChild([MOSAIC, '--txpool-only', '--chain', 'dev', '--datadir', tmp(), '--nodiscover', '--port', '0', '--http.port', '0', '--metrics', '--metrics.port', '0'], {
          ready: { rpc: /HTTP server started .*endpoint=(http:\/\/\S+)/, metrics: /Starting metrics server .*addr=(http:\/\/[^/\s]+)/ },
          timeoutMs: 30_000,
        })
        children.push(n)
        return { n, rpcUrl: n.match.rpc[1]!, metricsUrl: n.match.metrics[1]! }
      }
      const [a, b] = [await start(), await start()]
      const enode = ((await rpc(b.rpcUrl, 'admin_nodeInfo')) as { enode: string }).enode
      expect(await rpc(a.rpcUrl, 'admin_addPeer', [enode])).toBe(true)
      for (let i = 0; i < 100 && ((await rpc(a.rpcUrl, 'net_peerCount')) !== '0x1' || (await rpc(b.rpcUrl, 'net_peerCount')) !== '0x1'); i++) await Bun.sleep(100)
      const textA = await (await fetch(`${a.metricsUrl}/metrics`)).text()
      const textB = await (await fetch(`${b.metricsUrl}/metrics`)).text()
      expect(sample(textA, 'p2p_peers{direction="outbound",client="mosaic"}')).toBe(1)
      expect(sample(textB, 'p2p_peers{direction="inbound",client="mosaic"}')).toBe(1)
      expect(await promtoolCheck(textA)).toEqual({ code: 0, out: '' })
      await Promise.all([a.n.stop(), b.n.stop()])
    }, 60_000)

    test('the node profile serves metrics with the Engine API calls', async () => {
      const home = tmp()
      writeFileSync(join(home, 'jwt.hex'), '42'.repeat(32))
      const node = await startChild(
        [MOSAIC, '--profile', 'node', '--chain', 'dev', '--datadir', join(home, 'd'), '--nodiscover', '--port', '0', '--http.port', '0', '--authrpc.port', '0', '--authrpc.jwtsecret', join(home, 'jwt.hex'), '--metrics', '--metrics.port', '0'],
        { ready: { engine: /Engine API started .*endpoint=(http:\/\/\S+)/, metrics: /Starting metrics server .*addr=(http:\/\/[^/\s]+)/ }, timeoutMs: 30_000 },
      )
      children.push(node)
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'engine_exchangeCapabilities', params: [['engine_newPayloadV3']] })
      const auth = { 'content-type': 'application/json', authorization: `Bearer ${signJwt(new Uint8Array(32).fill(0x42))}` }
      expect((await fetch(node.match.engine[1]!, { method: 'POST', headers: auth, body })).status).toBe(200)
      const text = await (await fetch(`${node.match.metrics[1]!}/metrics`)).text()
      expect(await promtoolCheck(text)).toEqual({ code: 0, out: '' })
      expect(sample(text, 'engine_requests_total{method="engine_exchangeCapabilities",result="success"}')).toBe(1)
      expect(sample(text, 'engine_duration_seconds_count{method="engine_exchangeCapabilities",result="success"}')).toBe(1)
      expect(missingFamilies(text, dashboardQueries())).toEqual([])
      expect(sample(text, 'chain_head_block')).toBe(0)
      expect(sample(text, 'db_size_bytes')).toBeGreaterThan(0)
      await node.stop()
    }, 60_000)

    test('mosaic statesync --metrics serves its chain while it runs', async () => {
      const run = await startChild([MOSAIC, 'statesync', '--source', 'generate:blocks=100000,accounts=200', '--store', 'memory', '--verify', 'none', '--metrics', '--metrics.port', '0'], {
        ready: { metrics: /metrics at (http:\/\/\S+)\/metrics/ },
        timeoutMs: 30_000,
      })
      children.push(run)
      const url = run.match.metrics[1]!
      let text = ''
      for (let i = 0; i < 50 && !(sample(text, 'chain_imported_blocks_total')! > 0); i++) {
        await Bun.sleep(100)
        text = await (await fetch(`${url}/metrics`)).text()
      }
      expect(await promtoolCheck(text)).toEqual({ code: 0, out: '' })
      expect(sample(text, 'chain_imported_blocks_total')).toBeGreaterThan(0)
      expect(sample(text, 'chain_head_block')).toBeGreaterThan(0)
      expect(sample(text, 'chain_execution_seconds_count')).toBeGreaterThan(0)
      await run.stop('SIGINT')
    }, 60_000)
  })
}
