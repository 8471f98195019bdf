/**
 * The Engine API as a consensus client sees it: `bun bench/engine.bench.ts [--quick]`.
 *
 * 1. newPayload throughput: the bench chain (bench/chain.ts) on a genesis.json with the dev
 *    allocation, fed to a `bin/mosaic --chain genesis.json` node process over HTTP with JWT
 *    (engine_newPayloadV4 + engine_forkchoiceUpdatedV3 per block, safe and finalized trailing by
 *    one and two epochs, as cl-mock does), against `bin/mosaic import` of the same blocks
 *    (RocksDB in a fresh data directory each), alternating ROUNDS times: payloads/s, Mgas/s and
 *    the Engine API's overhead over import.
 * 2. getPayload with a full pool: a node holding POOL_TXS pending transfers (sent with
 *    eth_sendRawTransaction, 10 per sender, so all are executable); forkchoiceUpdated with
 *    attributes and engine_getPayloadV4 at once (the CL sees the first full build), and after
 *    BUILD_WAIT_MS while new transactions trickle in (rebuilds run; a getPayload may meet one
 *    in progress): p50/p99 of getPayload and of the whole cycle, txs and gas per payload.
 *
 * Sizes: BLOCKS (1,000 transfer blocks; --quick 200), POOL_TXS (5,000; --quick 2,000), ROUNDS
 * (3; --quick 1), CYCLES (20 per mode; --quick 8), BUILD_WAIT_MS (1,000).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseGenesisJson } from '../src/chainspec/index.ts'
import { createEngineClient, formatExecutionPayload, type EngineClient } from '../src/engine/index.ts'
import { bigintToHex, bytesToHex, concatBytes, type Hex } from '../src/primitives/index.ts'
import { openMemoryStore } from '../src/storage/index.ts'
import { decodeBlock, encodeTransaction, headerHash, signTransaction, type Block } from '../src/types/index.ts'
import { benchGenesis, benchSenders, generateBenchChain, type Sender } from './chain.ts'

const ROOT = join(import.meta.dir, '..')
const MOSAIC = join(ROOT, 'bin/mosaic')
const QUICK = process.argv.includes('--quick')
const num = (name: string, full: number, quick: number) => Number(process.env[name] ?? (QUICK ? quick : full))
const BLOCKS = num('BLOCKS', 1000, 200)
const POOL_TXS = num('POOL_TXS', 5000, 2000)
const ROUNDS = num('ROUNDS', 3, 1)
const CYCLES = num('CYCLES', 20, 8)
const BUILD_WAIT_MS = num('BUILD_WAIT_MS', 1000, 1000)
const PER_SENDER = 10
const TRICKLE_SENDERS = 20
const EPOCH = 32
const ZERO32 = `0x${'00'.repeat(32)}` as Hex

interface Node {
  engine: EngineClient
  rpcUrl: string
  stop(): Promise<void>
}

/** `bin/mosaic ARGS` in Engine API mode, once both ports are up; its log is drained (and kept for errors). */
async function startNode(args: string[], secret: Uint8Array): Promise<Node> {
  const proc = Bun.spawn([MOSAIC, ...args, '--authrpc.port', '0', '--http.port', '0'], { stdout: 'ignore', stderr: 'pipe' })
  const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader()
  let log = ''
  const deadline = Date.now() + 60_000
  const engineLine = /Engine API started.*endpoint=(http:\/\/\S+)/
  const rpcLine = /HTTP server started.*endpoint=(http:\/\/\S+)/
  while (!engineLine.test(log) || !rpcLine.test(log)) {
    if (Date.now() > deadline) throw new Error(`mosaic did not start: ${log}`)
    const { value, done } = await reader.read()
    if (done) throw new Error(`mosaic exited: ${log}`)
    log += new TextDecoder().decode(value)
  }
  // keep reading so that the node never blocks on a full pipe
  void (async () => {
    for (;;) if ((await reader.read()).done) return
  })()
  return {
    engine: createEngineClient({ url: log.match(engineLine)![1]!, secret }),
    rpcUrl: log.match(rpcLine)![1]!,
    async stop() {
      proc.kill('SIGTERM')
      await proc.exited
    },
  }
}

async function rpc<T = unknown>(url: string, body: unknown): Promise<T> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return (await r.json()) as T
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}
const ms = (x: number) => `${x.toFixed(1)} ms`

export interface Throughput {
  ms: number
  blocks: number
}

/** `bin/mosaic import` of the file into a fresh data directory: the import's own elapsed time (start-up excluded). */
export function importRun(datadir: string, genesis: string, file: string): Throughput {
  const p = Bun.spawnSync([MOSAIC, 'import', '--datadir', datadir, '--chain', genesis, file], { stdout: 'pipe', stderr: 'pipe' })
  const out = p.stdout.toString()
  const m = out.match(/imported (\d+) blocks .* in ([0-9.]+)s/)
  if (p.exitCode !== 0 || !m) throw new Error(`mosaic import failed: ${out}${p.stderr.toString()}`)
  return { blocks: Number(m[1]), ms: Number(m[2]) * 1000 }
}

/** A CL's calls for each block: newPayloadV4, then forkchoiceUpdatedV3 to it. */
function payloadCalls(blocks: Block[]): { hash: Hex; params: unknown[] }[] {
  return blocks.map((b) => {
    const hash = bytesToHex(headerHash(b.header))
    return { hash, params: [formatExecutionPayload(b, headerHash(b.header), 3), [], bytesToHex(b.header.parentBeaconBlockRoot ?? new Uint8Array(32)), []] }
  })
}

/** The blocks fed over the Engine API to a fresh node, from the first newPayload to the last forkchoiceUpdated answer. */
async function engineRun(datadir: string, genesis: string, secretFile: string, secret: Uint8Array, blocks: Block[]): Promise<Throughput> {
  const calls = payloadCalls(blocks)
  const node = await startNode(['--chain', genesis, '--datadir', datadir, '--authrpc.jwtsecret', secretFile], secret)
  try {
    const hashes = calls.map((c) => c.hash)
    const t0 = performance.now()
    for (let i = 0; i < calls.length; i++) {
      const s = await node.engine.call<{ status: string; validationError?: string }>('engine_newPayloadV4', calls[i]!.params)
      if (s.status !== 'VALID') throw new Error(`block ${i + 1}: ${s.status} ${s.validationError ?? ''}`)
      const state = { headBlockHash: hashes[i], safeBlockHash: hashes[i - EPOCH] ?? ZERO32, finalizedBlockHash: hashes[i - 2 * EPOCH] ?? ZERO32 }
      const f = await node.engine.call<{ payloadStatus: { status: string } }>('engine_forkchoiceUpdatedV3', [state, null])
      if (f.payloadStatus.status !== 'VALID') throw new Error(`forkchoiceUpdated to block ${i + 1}: ${f.payloadStatus.status}`)
    }
    return { blocks: calls.length, ms: performance.now() - t0 }
  } finally {
    await node.stop()
  }
}

async function newPayloadThroughput(dir: string, genesisFile: string, secretFile: string, secret: Uint8Array): Promise<void> {
  const spec = parseGenesisJson(JSON.parse(await Bun.file(genesisFile).text()), 'bench')
  const t = performance.now()
  const chain = generateBenchChain(openMemoryStore(), BLOCKS, spec)
  const file = join(dir, 'chain.rlp')
  await Bun.write(file, concatBytes(...chain.rlp))
  const blocks = chain.rlp.map((r) => decodeBlock(r))
  const gas = Number(chain.gas.reduce((a, b) => a + b, 0n))
  console.log(`\nnewPayload throughput: the import bench chain (${chain.rlp.length} blocks, ${chain.txs} txs, ${(gas / 1e6).toFixed(1)} Mgas, generated in ${((performance.now() - t) / 1000).toFixed(1)}s), RocksDB each`)
  const rows: { name: string; r: Throughput }[] = []
  const row = (name: string, r: Throughput) => {
    rows.push({ name, r })
    console.log(`  ${name.padEnd(32)} ${(r.ms / 1000).toFixed(2).padStart(6)}s  ${((r.blocks * 1000) / r.ms).toFixed(0).padStart(5)} payloads/s  ${(gas / 1e3 / r.ms).toFixed(1).padStart(6)} Mgas/s`)
  }
  // alternating, so that both meet the same quiet and noisy spells of the shared machine
  for (let round = 1; round <= ROUNDS; round++) {
    row(`round ${round}: mosaic import`, importRun(join(dir, `import-${round}`), genesisFile, file))
    row(`round ${round}: Engine API (HTTP, JWT)`, await engineRun(join(dir, `engine-${round}`), genesisFile, secretFile, secret, blocks))
  }
  // per round (each pair ran back to back), then the median round and the best of each
  const of = (suffix: string) => rows.filter((x) => x.name.endsWith(suffix)).map((x) => x.r.ms)
  const imp = of('mosaic import')
  const eng = of('Engine API (HTTP, JWT)')
  const pct = (e: number, i: number) => ((e - i) / i) * 100
  const perRound = imp.map((i, k) => pct(eng[k]!, i))
  console.log(
    `  Engine API overhead over import: per round ${perRound.map((x) => `${x.toFixed(1)}%`).join(', ')}; median ${percentile(perRound, 50).toFixed(1)}%, ` +
      `best of ${ROUNDS} each ${pct(Math.min(...eng), Math.min(...imp)).toFixed(1)}% (target at most 10%)`,
  )
}

/** A signed transfer as eth_sendRawTransaction takes it. */
function transfer(s: Sender, chainId: bigint, tip: bigint): Hex {
  const tx = signTransaction(
    { type: 2, chainId, nonce: s.nonce++, maxPriorityFeePerGas: tip, maxFeePerGas: 100_000_000_000n, gasLimit: 21_000n, to: s.address.slice().reverse(), value: 1n, data: new Uint8Array(0), accessList: [] },
    s.key,
  )
  return bytesToHex(encodeTransaction(tx))
}

/** Sends the transactions in batches of 100; every one must be accepted. */
async function sendAll(url: string, txs: Hex[]): Promise<void> {
  for (let i = 0; i < txs.length; i += 100) {
    const batch = txs.slice(i, i + 100).map((tx, j) => ({ jsonrpc: '2.0', id: i + j, method: 'eth_sendRawTransaction', params: [tx] }))
    const out = await rpc<{ error?: { message: string } }[]>(url, batch)
    const bad = out.find((r) => r.error)
    if (bad) throw new Error(`eth_sendRawTransaction: ${bad.error!.message}`)
  }
}

interface Cycle {
  getPayload: number
  cycle: number
  txs: number
  gas: number
}

async function getPayloadLatency(dir: string, genesisFile: string, secretFile: string, secret: Uint8Array, poolSenders: Sender[], chainId: bigint): Promise<void> {
  const node = await startNode(['--chain', genesisFile, '--datadir', join(dir, 'pool'), '--authrpc.jwtsecret', secretFile], secret)
  try {
    const fill = poolSenders.slice(0, POOL_TXS / PER_SENDER)
    const txs: Hex[] = []
    for (let n = 0; n < PER_SENDER; n++) for (const [i, s] of fill.entries()) txs.push(transfer(s, chainId, 1_000_000_000n + BigInt((i * 7919) % 1000) * 1_000_000n))
    const t = performance.now()
    await sendAll(node.rpcUrl, txs)
    const status = await rpc<{ result: { pending: Hex; queued: Hex } }>(node.rpcUrl, { jsonrpc: '2.0', id: 1, method: 'txpool_status', params: [] })
    console.log(`\ngetPayload with a full pool: ${Number(status.result.pending)} pending, ${Number(status.result.queued)} queued (${txs.length} sent from ${fill.length} senders in ${((performance.now() - t) / 1000).toFixed(1)}s)`)
    const head = await rpc<{ result: { hash: Hex; timestamp: Hex } }>(node.rpcUrl, { jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: ['latest', false] })
    const trickle = poolSenders.slice(fill.length, fill.length + TRICKLE_SENDERS)
    let k = 0
    let checked = false
    // each cycle builds on the same parent with a later timestamp: a new build over the same full pool
    const cycle = async (i: number, waitMs: number): Promise<Cycle> => {
      const attrs = { timestamp: bigintToHex(BigInt(head.result.timestamp) + 12n + BigInt(i)), prevRandao: ZERO32, suggestedFeeRecipient: `0x${'fe'.repeat(20)}`, withdrawals: [], parentBeaconBlockRoot: ZERO32 }
      const t0 = performance.now()
      const f = await node.engine.call<{ payloadId: Hex }>('engine_forkchoiceUpdatedV3', [{ headBlockHash: head.result.hash, safeBlockHash: ZERO32, finalizedBlockHash: ZERO32 }, attrs])
      const fcu = performance.now() - t0
      if (waitMs) {
        // new transactions keep arriving while the payload is improved, as on a live network
        const end = performance.now() + waitMs
        while (performance.now() < end) {
          const s = trickle[k++ % trickle.length]!
          if (s.nonce < 16n) await sendAll(node.rpcUrl, [transfer(s, chainId, 5_000_000_000n)])
          await Bun.sleep(100)
        }
      }
      const t1 = performance.now()
      const p = await node.engine.call<{ executionPayload: { transactions: Hex[]; gasUsed: Hex } }>('engine_getPayloadV4', [f.payloadId])
      const t2 = performance.now()
      if (!checked) {
        // the built payload is a valid block (not made head: the pool stays full)
        const s = await node.engine.call<{ status: string }>('engine_newPayloadV4', [p.executionPayload, [], ZERO32, []])
        if (s.status !== 'VALID') throw new Error(`built payload: ${s.status}`)
        checked = true
      }
      // the cycle: both calls' latencies (without the wait)
      return { getPayload: t2 - t1, cycle: fcu + (t2 - t1), txs: p.executionPayload.transactions.length, gas: Number(p.executionPayload.gasUsed) }
    }
    const report = (title: string, cs: Cycle[]) => {
      const g = cs.map((c) => c.getPayload)
      const c = cs.map((x) => x.cycle)
      const tx = cs.map((x) => x.txs)
      console.log(
        `  ${title}: getPayloadV4 p50 ${ms(percentile(g, 50))}, p99 ${ms(percentile(g, 99))} (target under 50 ms); fcU→getPayload p50 ${ms(percentile(c, 50))}, p99 ${ms(percentile(c, 99))}; ` +
          `${Math.min(...tx)}–${Math.max(...tx)} txs, ${(cs.reduce((a, x) => a + x.gas, 0) / cs.length / 1e6).toFixed(1)} Mgas per payload (${cs.length} cycles)`,
      )
    }
    const at = async (waitMs: number) => {
      const out: Cycle[] = []
      for (let i = 0; i < CYCLES; i++) out.push(await cycle(out.length + waitMs, waitMs))
      return out
    }
    report('at once', await at(0))
    report(`after ${BUILD_WAIT_MS} ms, txs arriving`, await at(BUILD_WAIT_MS))
  } finally {
    await node.stop()
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-engine-bench-'))
  try {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const secretFile = join(dir, 'jwt.hex')
    writeFileSync(secretFile, Buffer.from(secret).toString('hex'), { mode: 0o600 })
    const poolSenders = benchSenders('mosaic engine bench pool sender', POOL_TXS / PER_SENDER + TRICKLE_SENDERS)
    const genesis = benchGenesis(poolSenders.map((s) => s.address))
    const genesisFile = join(dir, 'genesis.json')
    writeFileSync(genesisFile, JSON.stringify(genesis))
    await newPayloadThroughput(dir, genesisFile, secretFile, secret)
    await getPayloadLatency(dir, genesisFile, secretFile, secret, poolSenders, BigInt((genesis.config as { chainId: number }).chainId))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) await run()
