/**
 * `mosaic statesync`: the state sync testbed. The source's blocks (an RLP block file, or a
 * generated workload) go into Mosaic's chain; every block's state diff is streamed into every
 * `--store`; each store is verified against Mosaic's state and measured; the report goes to
 * `--report DIR` (report.json, report.md, report.html). Design: src/statediff/index.ts.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Blockchain, createBlockFileWriter, ImportError, type BlockFileWriter } from '../../blockchain/index.ts'
import { createNodeMetrics, DEFAULT_METRICS_ADDR, DEFAULT_METRICS_PORT, directorySize, resolveChainSpec, startMetricsServer, type MetricsServer } from '../../node/index.ts'
import { MosaicError } from '../../primitives/index.ts'
import { openNatsSink, StateDiffError, type NatsSink } from '../../statediff/index.ts'
import { reportJson, runTestbed, writeReport, type ChainSource, type TestbedProgress, type TestbedStore } from '../../statediff/testbed/index.ts'
import { formatWorkloadSpec, openWorkloadChain, parseWorkloadSpec, workloadChainSpec, workloadGenesis } from '../../statediff/workload/index.ts'
import { openMemoryStore, type KeyValueStore } from '../../storage/index.ts'
import { parseArgs } from '../args.ts'
import { UsageError, type Command } from '../command.ts'
import { VERSION } from '../version.ts'
import { EXIT_INTERRUPTED, fixed, grouped, interruptFlag, logIntervalMs, openChain, processChainDeps, progressMeter, stringFlag, type ChainCommandDeps } from './import-export.ts'
import { runNatsCatchUp } from './statesync-nats.ts'
import { openStore, storeLabel } from './statesync-stores.ts'

const USAGE = `Usage: mosaic statesync [--chain NAME|GENESIS] --source FILE|generate:SPEC --store NAME|FILE [--store ...]
                        [--verify every:N|none] [--verify-root every:N|none] [--report DIR] [--sink nats://HOST:PORT[/STREAM]] [options]
       mosaic statesync --source nats://HOST:PORT[/STREAM] --store NAME [--store ...] [--replica NAME]

Streams the state diff of every block of a chain into each store, checks every store against
Mosaic's own state and measures it. The source's blocks are imported into Mosaic's chain (in
memory unless --datadir is given); each block reaches every store through the state-diff
stream, in step. Every N blocks the keys written since the last check and a random sample of
older ones are read from each store and compared; at the end every account and slot is. The
first difference names the store, the block, the key and both values, and the exit code is 1.
A store that keeps its data (rocksdb, sqlite, lmdb, postgres) resumes from its own head when the same
command runs again (after a crash, say): no block is applied twice or missed.

Sources:
  FILE.rlp[.gz]           blocks as \`mosaic import\` reads them (geth's export format); give
                          --source again for more files; --chain names their chain
  generate:SPEC           the seeded workload generator, on its own genesis: SPEC is
                          KEY=VALUE,... of blocks (100), accounts (1000), slots (5000), seed (1),
                          fork (shanghai|cancun), reorgs (0: none; N: a reorg every N blocks),
                          senders (16), tokens (2); e.g. generate:blocks=5000,accounts=200000,slots=1000000
  nats://HOST:PORT[/S]    a Mosaic state-diff stream on NATS JetStream (written by --sink or a
                          node's --statediff.nats): each store catches up with the stream as it is
                          now through a durable consumer of its own (--replica NAME, default from
                          the store's directory), resuming from its acknowledged sequence; there is
                          no chain here to verify against (the stream's publisher verified it)

Stores (--store, repeatable): memory, rocksdb (Mosaic's own storage layer), sqlite, lmdb,
postgres[:URL] (a PostgreSQL server: URL, else DATABASE_URL or the PG* variables; its tables in
a schema named after the store's directory), or a plugin file (./my-store.ts) whose component
provides \`stateStore\` (examples/statesync-store-plugin.ts).

Options:
  --chain NAME|GENESIS    the file source's chain: mainnet, sepolia, hoodi, dev, or a genesis.json
                          (default: the --datadir's record, else mainnet)
  --datadir DIR           keep Mosaic's chain on RocksDB in DIR instead of in memory (for long
                          runs: the chain's trie nodes and blocks stay out of RAM); for a file
                          source, blocks stored there already are not imported again; for a
                          generated one, DIR must be new (a generator starts at genesis)
  --stores-dir DIR        where the stores keep their files, one directory each
                          (default: DIR/stores with --report, else a temporary directory)
  --verify every:N|none   sampled checks every N blocks (default every:100); the full
                          comparison at the end always runs
  --verify-root every:N|none
                          compare the state root of each store that keeps one (memory) with
                          the header's every N blocks (default every:1000), and at the end; a
                          wrong root is traced back to the first bad block
  --report DIR            write report.json, report.md and report.html (charts) there
  --window N              blocks per report window (default 100); stores flush at its end
  --diffs FILE            also write the stream to FILE (.jsonl: JSON lines, else RLP; .gz)
  --sink nats://HOST:PORT[/STREAM]
                          also publish the stream to NATS JetStream: one stream per chain
                          (MOSAIC_<chainId> unless named), a message per block commit or revert;
                          a rerun resumes after the stream's last message. Replicas follow it:
                          mosaic --profile statesync --source nats://... (repeatable)
  --write-chain FILE      (generate) write the generated blocks to FILE as an RLP block file
                          and its genesis to FILE.genesis.json
  --log-interval SECONDS  progress line interval when stderr is not a terminal (default 8)
  --metrics               serve Prometheus metrics of Mosaic's chain (head, imports, block
                          timings) at /metrics and /debug/metrics/prometheus
  --metrics.addr ADDR     metrics listening interface (default 127.0.0.1)
  --metrics.port PORT     metrics port (default 6060; 0: any free port)

Exit code: 0 every store verified, 1 a store failed or an error, 2 usage error, 130 interrupted.`

/** `every:N` (N at least 1) or `none` (0), for --verify and --verify-root. */
function everyBlocks(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback
  if (v === 'none') return 0
  const m = /^every:([0-9]+)$/.exec(v)
  if (!m || Number(m[1]) < 1) throw new UsageError(`--${flag} must be every:N (N at least 1) or none, got ${JSON.stringify(v)}`)
  return Number(m[1])
}

function port(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback
  if (!/^[0-9]+$/.test(v) || Number(v) > 65535) throw new UsageError(`--${name} must be a port number (0-65535), got ${JSON.stringify(v)}`)
  return Number(v)
}

function positiveInt(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback
  if (!/^[0-9]+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a whole number of at least 1, got ${JSON.stringify(v)}`)
  return Number(v)
}

function progressLine(p: TestbedProgress): string {
  const rate = p.elapsedMs > 0 ? (p.processed * 1000) / p.elapsedMs : 0
  const stores = p.stores.map((s) => `${s.name} ${s.failed ? 'FAILED' : `${fixed(s.applyMs, 2)}ms`}`).join('  ')
  return `statesync #${grouped(p.head)}  ${grouped(p.processed)} blocks  ${fixed(rate)} blocks/s  ${grouped(p.accounts)} accounts  ${grouped(p.slots)} slots  ${stores}`
}

function progressFields(p: TestbedProgress): string {
  const stores = p.stores.map((s) => `${s.name}=${s.failed ? 'failed' : `${fixed(s.applyMs, 3)}ms`}`).join(' ')
  return `statesync number=${p.head} blocks=${p.processed} accounts=${p.accounts} slots=${p.slots} elapsed=${fixed(p.elapsedMs / 1000)}s ${stores}`
}

export async function runStatesync(args: string[], deps: ChainCommandDeps = processChainDeps): Promise<number> {
  const { flags, lists, positional } = parseArgs(args, {
    values: ['chain', 'datadir', 'stores-dir', 'verify', 'verify-root', 'report', 'window', 'diffs', 'write-chain', 'log-interval', 'replica', 'metrics.addr', 'metrics.port'],
    booleans: ['metrics'],
    lists: ['source', 'store', 'sink'],
  })
  if (positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}`)
  const sources = lists.get('source') ?? []
  const storeSpecs = lists.get('store') ?? []
  if (sources.length === 0) throw new UsageError('give --source FILE or --source generate:SPEC')
  if (sources[0]!.startsWith('nats://')) {
    if (sources.length > 1) throw new UsageError('a NATS source cannot be combined with other sources')
    for (const f of ['chain', 'datadir', 'verify', 'verify-root', 'report', 'window', 'diffs', 'write-chain']) if (flags.has(f)) throw new UsageError(`--${f} does not apply to a NATS source`)
    if (lists.has('sink')) throw new UsageError('--sink does not apply to a NATS source')
    return runNatsCatchUp({ url: sources[0]!, storeSpecs, storesDir: stringFlag(flags, 'stores-dir'), replica: stringFlag(flags, 'replica') }, deps)
  }
  if (flags.has('replica')) throw new UsageError('--replica names a NATS source\'s consumer: give --source nats://...')
  const sinkUrls = lists.get('sink') ?? []
  for (const u of sinkUrls) if (!u.startsWith('nats://')) throw new UsageError(`--sink ${u}: a sink is nats://HOST:PORT[/STREAM]`)
  const every = everyBlocks(stringFlag(flags, 'verify'), 'verify', 100)
  const rootEvery = everyBlocks(stringFlag(flags, 'verify-root'), 'verify-root', 1000)
  const window = positiveInt(stringFlag(flags, 'window'), 'window', 100)
  const interval = logIntervalMs(flags, 8)
  const reportDir = stringFlag(flags, 'report')
  const writeChainPath = stringFlag(flags, 'write-chain')
  const chainFlag = stringFlag(flags, 'chain')
  const datadir = stringFlag(flags, 'datadir')
  const metricsPort = port(stringFlag(flags, 'metrics.port'), 'metrics.port', DEFAULT_METRICS_PORT)
  if (storeSpecs.length === 0 && !writeChainPath) throw new UsageError('give at least one --store (memory, rocksdb, sqlite, lmdb, postgres or a plugin file)')

  let source: ChainSource
  let sourceText: string
  const generated = sources[0]!.startsWith('generate')
  if (generated) {
    if (sources.length > 1) throw new UsageError('a generated source cannot be combined with other sources')
    if (chainFlag) throw new UsageError('a generated source has its own genesis: --chain does not apply')
    try {
      source = { kind: 'generate', spec: parseWorkloadSpec(sources[0]!) }
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e))
    }
    sourceText = formatWorkloadSpec(source.spec)
  } else {
    if (writeChainPath) throw new UsageError('--write-chain writes a generated source; a file source is a block file already')
    for (const f of sources) if (!existsSync(f) || statSync(f).isDirectory()) throw new UsageError(`no such file: ${f}`)
    source = { kind: 'file', paths: sources }
    sourceText = sources.join(', ')
  }

  // Mosaic's chain: the reference every store is checked against
  let chain: Blockchain
  let chainDb: KeyValueStore
  if (source.kind === 'generate' && datadir) {
    ;({ db: chainDb, chain } = await openChain(workloadChainSpec(source.spec), resolve(datadir)))
    if (chain.head().number > 0n) {
      const head = chain.head().number
      await chainDb.close()
      throw new UsageError(`--datadir ${datadir} holds a generated chain up to block ${head}: a generator starts at genesis; give a new directory, or replay a chain written with --write-chain as --source FILE`)
    }
  } else if (source.kind === 'generate') {
    chainDb = openMemoryStore()
    chain = openWorkloadChain(source.spec, chainDb)
  } else {
    const spec = resolveChainSpec(chainFlag, datadir)
    const genesisPath = chainFlag && existsSync(chainFlag) ? chainFlag : undefined
    if (datadir) ({ db: chainDb, chain } = await openChain(spec, resolve(datadir), genesisPath))
    else {
      chainDb = openMemoryStore()
      chain = Blockchain.open(chainDb, spec)
    }
  }

  let metrics: MetricsServer | undefined
  if (flags.get('metrics') === true) {
    const m = createNodeMetrics()
    m.observeChain(chain)
    if (datadir) m.observeDatabaseSize(() => directorySize(join(resolve(datadir), 'chaindata')))
    try {
      metrics = startMetricsServer(m, { addr: stringFlag(flags, 'metrics.addr') ?? DEFAULT_METRICS_ADDR, port: metricsPort })
    } catch (e) {
      await chainDb.close()
      throw e
    }
    deps.err(`statesync: metrics at ${metrics.url}/metrics\n`)
  }
  const tempStores = !stringFlag(flags, 'stores-dir') && !reportDir ? mkdtempSync(join(tmpdir(), 'mosaic-statesync-')) : undefined
  const storesDir = resolve(stringFlag(flags, 'stores-dir') ?? tempStores ?? join(reportDir!, 'stores'))
  const stores: TestbedStore[] = []
  const sinks: NatsSink[] = []
  let writeChain: BlockFileWriter | undefined
  const interrupt = interruptFlag(deps, 'statesync')
  const meter = progressMeter(deps, interval)
  try {
    const names = new Set<string>()
    for (const spec of storeSpecs) {
      let label = storeLabel(spec)
      for (let i = 2; names.has(label); i++) label = `${storeLabel(spec)}-${i}`
      names.add(label)
      const opened = await openStore(spec, join(storesDir, label))
      stores.push({ name: label, store: opened.store })
    }
    for (const url of sinkUrls) sinks.push(await openNatsSink({ url, chainId: chain.spec.chainId, name: `nats sink ${url}` }))
    if (writeChainPath && source.kind === 'generate') {
      writeFileSync(`${writeChainPath}.genesis.json`, `${JSON.stringify(workloadGenesis(source.spec), null, 2)}\n`)
      writeChain = createBlockFileWriter(writeChainPath)
    }
    let result
    try {
      result = await runTestbed({
        chain,
        source,
        stores,
        verifyEvery: every,
        rootEvery,
        chainOnRocksdb: datadir !== undefined,
        window,
        diffFile: stringFlag(flags, 'diffs'),
        sinks: sinks.map((k) => ({ name: `nats sink ${k.stream}`, consumer: k, from: k.head() })),
        writeChain,
        shouldStop: () => interrupt.stopped,
        onProgress: (p) => meter.update(progressLine(p), () => progressFields(p)),
      })
    } catch (e) {
      meter.done()
      if (e instanceof ImportError) {
        deps.err(`mosaic statesync: ${e.message}${e.details ? `: ${e.details}` : ''}; Mosaic's chain stays at block ${chain.head().number}\n`)
        return 1
      }
      throw e
    }
    meter.done()
    await writeChain?.close()
    writeChain = undefined
    const json = reportJson(result, { version: VERSION, chain: { name: chain.spec.name, chainId: String(chain.spec.chainId) }, source: sourceText, verifyEvery: every, rootEvery, window })
    if (reportDir) writeReport(resolve(reportDir), json)
    for (const s of result.stores) if (s.failure) deps.err(`mosaic statesync: ${s.failure.message}\n`)
    const lines = json.stores.map(
      (s) => `${s.name}: ${s.status}; apply p50 ${s.applyMs.p50} ms, p99 ${s.applyMs.p99} ms, max ${s.applyMs.max} ms; ${grouped(s.entriesPerSecond)} diff entries/s; ${fixed(s.bytesOnDisk / 1024 / 1024)} MiB on disk`,
    )
    deps.out(
      `statesync: ${json.verdict}: block ${json.head.number}, ${grouped(json.blocksProcessed)} blocks, ${grouped(json.state.accounts)} accounts, ${grouped(json.state.slots)} slots in ${fixed(json.elapsedMs / 1000, 1)} s\n` +
        lines.map((l) => `  ${l}\n`).join('') +
        sinks.map((k) => `  nats ${k.stream}: ${grouped(k.published)} messages published, stream at sequence ${k.lastSequence}\n`).join('') +
        (reportDir ? `  report: ${join(resolve(reportDir), 'report.md')}\n` : ''),
    )
    if (result.interrupted) return EXIT_INTERRUPTED
    return json.verdict === 'pass' ? 0 : 1
  } catch (e) {
    meter.done()
    if (e instanceof StateDiffError || (e instanceof MosaicError && e.code === 'PLUGIN')) {
      deps.err(`mosaic statesync: ${e.message}\n`)
      return 1
    }
    throw e
  } finally {
    interrupt.dispose()
    await writeChain?.close().catch(() => {})
    for (const k of sinks) await k.close().catch(() => {})
    for (const s of stores) await s.store.close().catch((e) => deps.err(`mosaic statesync: closing ${s.name}: ${e instanceof Error ? e.message : String(e)}\n`))
    await metrics?.stop()
    await chainDb.close()
    if (tempStores) rmSync(tempStores, { recursive: true, force: true })
  }
}

export const statesyncCommand: Command = {
  name: 'statesync',
  summary: 'stream every block\'s state diff into data stores, verify them against Mosaic\'s state and report',
  usage: USAGE,
  run: (args) => runStatesync(args),
}

