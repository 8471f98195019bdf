/**
 * The execution profile against anvil, both as separate processes on loopback, driven by the
 * same load generator in this process: requests per second for eth_blockNumber, eth_getBalance,
 * eth_call and eth_sendRawTransaction (automine on both), and start-up time of the executable
 * to its first answered request (dist/mosaic-execution, built when missing, vs anvil). eth_call
 * (a light call and a ~0.5M-gas loop) is measured on the EVM workers (--rpc.workers, one per
 * core) and on the event loop (--rpc.workers 0), against anvil, all on this machine's cores.
 */
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { DEV_PRIVATE_KEYS } from '../src/chainspec/index.ts'
import { bytesToHex, hexToBytes } from '../src/primitives/index.ts'
import { encodeTransaction, signTransaction } from '../src/types/index.ts'
import { report, type Measurement } from './harness.ts'
import { call, freePort } from './rpc-node.ts'

const ROOT = join(import.meta.dir, '..')
const ANVIL = join(ROOT, 'node_modules/.bin/anvil')
const CONCURRENCY = 32
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)



async function waitReady(url: string, deadlineMs: number): Promise<number> {
  const t0 = performance.now()
  for (;;) {
    try {
      await call(url, 'eth_chainId')
      return performance.now() - t0
    } catch {
      if (performance.now() - t0 > deadlineMs) throw new Error(`${url} did not answer within ${deadlineMs} ms`)
      await Bun.sleep(2)
    }
  }
}

interface Peer {
  name: string
  url: string
  stop(): void
}

async function startMosaic(exe: string[], flags: string[] = [], name = 'mosaic'): Promise<Peer> {
  const port = await freePort()
  const p = Bun.spawn([...exe, '--dev.memory', '--http.port', String(port), '--verbosity', '1', ...flags], { stdout: 'ignore', stderr: 'inherit' })
  const url = `http://127.0.0.1:${port}`
  await waitReady(url, 30_000)
  return { name, url, stop: () => p.kill() }
}

async function startAnvil(): Promise<Peer> {
  const port = await freePort()
  const p = Bun.spawn([ANVIL, '--port', String(port), '--silent', '--chain-id', '31337'], { stdout: 'ignore', stderr: 'inherit' })
  const url = `http://127.0.0.1:${port}`
  await waitReady(url, 30_000)
  return { name: 'anvil', url, stop: () => p.kill() }
}

const WRK = Bun.which('wrk')
const WRK_SCRIPT = join(import.meta.dir, 'wrk-post.lua')

/**
 * Requests per second for one request body: with wrk (one thread, CONCURRENCY connections)
 * when it is installed — a C load generator leaves the servers the CPU — else with
 * CONCURRENCY fetch loops in this process. The body is checked once for a JSON-RPC error.
 */
async function load(name: string, url: string, body: (i: number) => string, warm = true): Promise<Measurement> {
  const probe = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(0) })).json()) as { error?: { message: string } }
  if (probe.error) throw new Error(`${name}: ${probe.error.message}`)
  if (!WRK) return loadFetch(name, url, body)
  // steady state: WARMUP seconds unmeasured first, for both peers. Mosaic's eth_call reaches its
  // top tier only after ~150,000 calls (about 5 s here: the JIT compiles on the same 2 cores).
  if (warm) Bun.spawnSync([WRK, '-t1', `-c${CONCURRENCY}`, `-d${WARMUP}s`, '-s', WRK_SCRIPT, url], { env: { ...process.env, BODY: body(0) }, stdout: 'ignore' })
  const p = Bun.spawnSync([WRK, '-t1', `-c${CONCURRENCY}`, `-d${SECONDS}s`, '-s', WRK_SCRIPT, url], { env: { ...process.env, BODY: body(0) }, stdout: 'pipe' })
  const out = p.stdout.toString()
  const rps = Number(out.match(/Requests\/sec:\s+([0-9.]+)/)?.[1])
  if (!rps || /Non-2xx/.test(out)) throw new Error(`${name}: wrk failed: ${out}`)
  return { name, opsPerSec: rps, opsPerCall: 1 }
}

async function loadFetch(name: string, url: string, body: (i: number) => string, total?: number): Promise<Measurement> {
  let next = 0
  let done = 0
  const end = performance.now() + SECONDS * 1000
  const t0 = performance.now()
  const worker = async () => {
    while ((total === undefined ? performance.now() < end : next < total)) {
      const i = next++
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) })
      const j = (await r.json()) as { error?: { message: string } }
      if (j.error) throw new Error(`${name}: ${j.error.message}`)
      done++
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return { name, opsPerSec: (done * 1000) / (performance.now() - t0), opsPerCall: 1 }
}

const req = (method: string, params: unknown[]) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })
const ALICE = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
// runtime: returns keccak-free arithmetic over calldata (a loop of 100 ADDs) — small enough that RPC overhead shows
const RUNTIME = '0x' + '6000' + '600035' + Array(100).fill('6001' + '01').join('') + '60005260206000f3'
// a countdown from 20,000 (about 0.5M gas), put at LOOPER by a state override on every peer
const LOOPER = '0x' + '42'.repeat(20)
// PUSH2 20000, JUMPDEST, PUSH1 1, SWAP1, SUB, DUP1, PUSH1 3, JUMPI, then MSTORE the 0 and RETURN it
const COUNTDOWN = '0x614e205b600190038060035760005260206000f3'
const INIT = `0x${'61' + ((RUNTIME.length - 2) / 2).toString(16).padStart(4, '0')}80600a3d393df3${RUNTIME.slice(2)}`

async function deploy(url: string): Promise<string> {
  const hash = await call(url, 'eth_sendTransaction', [{ from: ALICE, data: INIT, gas: '0x100000' }])
  for (let i = 0; i < 100; i++) {
    const r = await call(url, 'eth_getTransactionReceipt', [hash])
    if (r?.contractAddress) return r.contractAddress
    await Bun.sleep(10)
  }
  throw new Error('deploy not mined')
}

function signedTransfers(count: number, key: string, chainId = 31337n): string[] {
  const out: string[] = []
  for (let n = 0; n < count; n++)
    out.push(
      bytesToHex(
        encodeTransaction(
          signTransaction(
            { type: 2, chainId, nonce: BigInt(n), maxPriorityFeePerGas: 1_000_000_000n, maxFeePerGas: 100_000_000_000n, gasLimit: 21_000n, to: hexToBytes('0x000000000000000000000000000000000000beef'), value: 1n, data: new Uint8Array(0), accessList: [] },
            hexToBytes(key),
          ),
        ),
      ),
    )
  return out
}

export async function run(): Promise<void> {
  const exe = join(ROOT, 'dist/mosaic-execution')
  // always rebuilt (about 3 s): a stale executable would measure old code
  Bun.spawnSync([process.execPath, join(ROOT, 'scripts/build.ts')], { stdout: 'ignore', stderr: 'inherit' })

  // start-up to the first answered request, median of 5
  const startup = async (start: () => Promise<Peer>) => {
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const p = await start()
      times.push(performance.now() - t0)
      p.stop()
      await Bun.sleep(50)
    }
    return times.sort((a, b) => a - b)[2]!
  }
  const mosaicStart = await startup(() => startMosaic([exe]))
  const anvilStart = await startup(startAnvil)
  console.log(`\nstart-up to the first eth_chainId answer (median of 5)`)
  console.log(`  dist/mosaic-execution  ${mosaicStart.toFixed(0).padStart(6)} ms  ${(anvilStart / mosaicStart).toFixed(2)}x vs anvil`)
  console.log(`  anvil                  ${anvilStart.toFixed(0).padStart(6)} ms  (baseline)`)

  const mosaic = await startMosaic([exe])
  const anvil = await startAnvil()
  try {
    const contracts = { mosaic: await deploy(mosaic.url), anvil: await deploy(anvil.url) }
    const input = `0x${'00'.repeat(31)}07`
    const rows: [string, (p: Peer) => (i: number) => string, number?][] = [
      ['eth_blockNumber', () => () => req('eth_blockNumber', [])],
      ['eth_getBalance', () => () => req('eth_getBalance', [ALICE, 'latest'])],
      ['eth_call', (p) => () => req('eth_call', [{ to: contracts[p.name as 'mosaic' | 'anvil'], data: input }, 'latest'])],
    ]
    // each peer measured ROUNDS times, alternating, and its best round kept: the VM's neighbours
    // move single runs by ±15%, and alternation gives both peers the same quiet and noisy spells
    const best = (x: Measurement, y: Measurement) => (y.opsPerSec > x.opsPerSec ? y : x)
    for (const [method, body] of rows) {
      let m = await load(`mosaic ${method}`, mosaic.url, body(mosaic))
      let a = await load(`anvil ${method}`, anvil.url, body(anvil))
      for (let r = 1; r < ROUNDS; r++) {
        m = best(m, await load(`mosaic ${method}`, mosaic.url, body(mosaic), false))
        a = best(a, await load(`anvil ${method}`, anvil.url, body(anvil), false))
      }
      report(`${method}: requests/s, ${CONCURRENCY} connections on loopback (${WRK ? `wrk, best of ${ROUNDS} rounds of ${SECONDS} s after ${WARMUP} s of warm-up` : 'fetch loops; install wrk for a lighter load generator'})`, [m, a], a)
    }
    // sendRawTransaction with automine: each node gets the same number of pre-signed transfers
    const count = 2000
    const txsM = signedTransfers(count, DEV_PRIVATE_KEYS[5])
    const txsA = signedTransfers(count, DEV_PRIVATE_KEYS[5])
    const send = (txs: string[]) => (i: number) => req('eth_sendRawTransaction', [txs[i]])
    // in nonce order: one sender, so one connection (concurrent sends would arrive out of order)
    const seq = async (name: string, url: string, txs: string[]) => {
      const t0 = performance.now()
      for (let i = 0; i < txs.length; i++) {
        const r = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: send(txs)(i) })).json()) as { error?: { message: string } }
        if (r.error) throw new Error(`${name}: ${r.error.message}`)
      }
      return { name, opsPerSec: (txs.length * 1000) / (performance.now() - t0), opsPerCall: 1 }
    }
    const sm = await seq('mosaic eth_sendRawTransaction', mosaic.url, txsM)
    const sa = await seq('anvil eth_sendRawTransaction', anvil.url, txsA)
    report(`eth_sendRawTransaction with automine (a block each), ${count} in nonce order`, [sm, sa], sa)
  } finally {
    mosaic.stop()
    anvil.stop()
  }
  await evmWorkers(exe)
}

/** eth_call on the EVM workers and on the event loop, against anvil, each peer alone on the machine. */
export async function evmWorkers(exe: string): Promise<void> {
  const peers = [
    () => startMosaic([exe], [], 'mosaic (workers)'),
    () => startMosaic([exe], ['--rpc.workers', '0'], 'mosaic (event loop)'),
    startAnvil,
  ]
  const rows: [string, (contract: string) => string][] = [
    ['eth_call', (c) => req('eth_call', [{ to: c, data: `0x${'00'.repeat(31)}07` }, 'latest'])],
    ['eth_call of a 0.5M-gas loop', () => req('eth_call', [{ to: LOOPER, gas: '0x1000000' }, 'latest', { [LOOPER]: { code: COUNTDOWN } }])],
  ]
  const results: Measurement[][] = rows.map(() => [])
  for (const start of peers) {
    const p = await start()
    try {
      const contract = await deploy(p.url)
      for (const [i, [, body]] of rows.entries()) {
        let m = await load(p.name, p.url, () => body(contract))
        for (let r = 1; r < ROUNDS; r++) {
          const n = await load(p.name, p.url, () => body(contract), false)
          if (n.opsPerSec > m.opsPerSec) m = n
        }
        results[i]!.push(m)
      }
    } finally {
      p.stop()
    }
  }
  for (const [i, [method]] of rows.entries()) {
    const [workers, loop, anvil] = results[i]!
    report(`${method} on ${availableParallelism()} cores: requests/s, ${CONCURRENCY} connections, EVM workers vs the event loop vs anvil`, [workers!, loop!, anvil!], anvil!)
    console.log(`  workers / event loop: ${(workers!.opsPerSec / loop!.opsPerSec).toFixed(2)}x`)
  }
}

if (import.meta.main) await run()
