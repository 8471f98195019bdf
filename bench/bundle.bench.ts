/**
 * Bundle simulation against anvil's eth_call on the same transactions: Mosaic's eth_callBundle
 * (one signed transaction per bundle, at `latest`, Flashbots accounting included) against
 * anvil's eth_call of the same call (from, to, data, value, gas, fees), both over HTTP with
 * `CONCURRENCY` requests in flight, on the same contract (it logs, stores, pays the fee
 * recipient, and reverts on odd input, as in test/bundles). Printed as calls per second and
 * the ratio; the target is at least anvil's rate.
 */
import { join } from 'node:path'
import { DEV_ACCOUNTS } from '../src/chainspec/index.ts'
import { bytesToHex, hexToBytes } from '../src/primitives/index.ts'
import { type Transaction } from '../src/types/index.ts'
import { PAYER_INIT, raw, signedTx, word } from '../test/bundles/helpers.ts'
import { report, type Measurement } from './harness.ts'
import { call, freePort, startRpcNode } from './rpc-node.ts'

const ROOT = join(import.meta.dir, '..')
const ANVIL = join(ROOT, 'node_modules/.bin/anvil')
const TXS = Number(process.env.BENCH_BUNDLE_TXS ?? 1000)
const FRESH = 15_000
const ROUND_MS = 250
const WARMUP = Number(process.env.BENCH_BUNDLE_WARMUP ?? 5)
const SECONDS = Number(process.env.BENCH_BUNDLE_SECONDS ?? 5)
const CONCURRENCY = Number(process.env.BENCH_BUNDLE_CONCURRENCY ?? 8)
const MNEMONIC = 'test test test test test test test test test test test junk'




/** Deploys the contract with dev account 9's first transaction (the same address on both nodes). */
async function deploy(url: string, mine: boolean): Promise<string> {
  const t = signedTx({ account: 9, nonce: 0n, to: null, data: hexToBytes(PAYER_INIT), gas: 300_000n })
  const hash = await call(url, 'eth_sendRawTransaction', [raw(t)])
  if (mine) await call(url, 'evm_mine')
  for (;;) {
    const r = await call(url, 'eth_getTransactionReceipt', [hash])
    if (r) return r.contractAddress
    await Bun.sleep(10)
  }
}

/** Requests for `ms`, `CONCURRENCY` at a time, request `i` from `one(i)`: how many were done. */
async function burst(ms: number, one: (i: number) => Promise<unknown>, from: number): Promise<number> {
  let next = from
  const end = performance.now() + ms
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) await one(next++)
    }),
  )
  return next - from
}

/**
 * Calls per second of each row, measured in alternating bursts of `ROUND_MS` for `seconds` in
 * all: on a shared machine the load changes by the second, and alternating gives every row the
 * same share of it.
 */
async function rates(rows: { name: string; one: (i: number) => Promise<unknown> }[], seconds: number): Promise<Measurement[]> {
  const done = rows.map(() => 0)
  const spent = rows.map(() => 0)
  for (let round = 0; round < (seconds * 1000) / ROUND_MS; round++)
    for (const [k, r] of rows.entries()) {
      const t = performance.now()
      done[k]! += await burst(ROUND_MS, r.one, done[k]!)
      spent[k]! += performance.now() - t
    }
  return rows.map((r, k) => ({ name: r.name, opsPerSec: (done[k]! * 1000) / spent[k]!, opsPerCall: 1 }))
}

const hexq = (n: bigint) => `0x${n.toString(16)}`

export async function run(): Promise<void> {
  const mosaic = await startRpcNode([join(ROOT, 'bin/mosaic'), '--execution-only', '--dev.memory', '--no-mining', '--http.port', 'PORT', '--verbosity', '1'])
  const anvil = await startRpcNode([ANVIL, '--port', 'PORT', '--silent', '--chain-id', '31337', '--mnemonic', MNEMONIC, '--hardfork', 'prague'])
  try {
    const address = await deploy(mosaic.url, true)
    if ((await deploy(anvil.url, false)) !== address) throw new Error('the contract landed at different addresses')
    const contract = hexToBytes(address)
    // nine senders at their first nonce, even and odd inputs (odd ones revert), some value to pass on
    const txs: Transaction[] = Array.from({ length: TXS }, (_, i) => signedTx({ account: i % 9, nonce: 0n, to: contract, data: word(BigInt(i)), value: BigInt(i % 7) * 1000n }))
    const target = hexq(BigInt(await call(mosaic.url, 'eth_blockNumber')) + 1n)
    const bundles = txs.map((t) => ({ txs: [raw(t)], blockNumber: target, stateBlockNumber: 'latest' }))
    const calls = txs.map((t, i) => {
      const tx = t as Extract<Transaction, { type: 2 }>
      return { from: DEV_ACCOUNTS[i % 9], to: address, data: bytesToHex(tx.data), value: hexq(tx.value), gas: hexq(tx.gasLimit), maxFeePerGas: hexq(tx.maxFeePerGas), maxPriorityFeePerGas: hexq(tx.maxPriorityFeePerGas) }
    })
    // same outcome on both, for one even and one odd input
    const sim = await call(mosaic.url, 'eth_callBundle', [bundles[1]!])
    if (sim.results[0].error !== 'execution reverted') throw new Error('odd input should revert in the bundle')
    await call(anvil.url, 'eth_call', [calls[0], 'latest'])
    // never seen before: the sender is recovered (searchers mostly re-simulate transactions seen before)
    const fresh = Array.from({ length: FRESH }, (_, i) => ({ txs: [raw(signedTx({ account: i % 9, nonce: 0n, to: contract, data: word(BigInt(1_000_000 + i)) }))], blockNumber: target, stateBlockNumber: 'latest' }))
    const bundle = (i: number) => call(mosaic.url, 'eth_callBundle', [bundles[i % TXS]!])
    // anvil's eth_call of an odd input answers the revert as an error: a call all the same
    const ethCall = (url: string) => (i: number) => call(url, 'eth_call', [calls[i % TXS]!, 'latest']).catch(() => undefined)
    const rows = [
      { name: `mosaic eth_callBundle (1 tx of ${TXS} seen before)`, one: bundle },
      { name: 'mosaic eth_callBundle (1 new tx: decoded, sender recovered)', one: (i: number) => call(mosaic.url, 'eth_callBundle', [fresh[i % FRESH]!]) },
      { name: 'mosaic eth_call', one: ethCall(mosaic.url) },
      { name: 'anvil eth_call', one: ethCall(anvil.url) },
    ]
    // warm-up (the JIT tiers up on the same cores), then the measured runs
    await rates(rows.filter((r) => !r.name.includes('new tx')), WARMUP)
    const out = await rates(rows, SECONDS)
    report(`Bundle simulation: the same ${TXS} transactions as eth_callBundle (Mosaic) and eth_call (anvil), ${CONCURRENCY} requests in flight, alternating ${ROUND_MS} ms bursts (target: at least anvil's rate)`, out, out[3]!)
  } finally {
    mosaic.stop()
    anvil.stop()
  }
}

if (import.meta.main) await run()
