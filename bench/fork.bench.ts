/**
 * Fork mode against anvil's fork mode on the same upstream (an anvil on loopback holding
 * `ACCOUNTS` funded accounts): first reads (eth_getBalance of an account neither fork has read
 * yet: a trip to the upstream, for Mosaic with an eth_getProof check) and cached reads (the same
 * account again), one request at a time, as reads per second.
 */
import { join } from 'node:path'
import { report, type Measurement } from './harness.ts'
import { call, freePort, startRpcNode } from './rpc-node.ts'

const ROOT = join(import.meta.dir, '..')
const ANVIL = join(ROOT, 'node_modules/.bin/anvil')
const ACCOUNTS = Number(process.env.BENCH_FORK_ACCOUNTS ?? 300)
const CACHED_READS = 2000




const account = (i: number) => `0x${(0xf0000 + i).toString(16).padStart(40, '0')}`

async function readsPerSec(name: string, url: string, addrs: string[]): Promise<Measurement> {
  const t = performance.now()
  for (const a of addrs) await call(url, 'eth_getBalance', [a, 'latest'])
  return { name, opsPerSec: (addrs.length * 1000) / (performance.now() - t), opsPerCall: 1 }
}

export async function run(): Promise<void> {
  const upstream = await startRpcNode([ANVIL, '--port', 'PORT', '--silent'])
  try {
    for (let i = 0; i < ACCOUNTS; i++) await call(upstream.url, 'anvil_setBalance', [account(i), `0x${(i + 1).toString(16)}`])
    await call(upstream.url, 'evm_mine')
    const head = String(BigInt(await call(upstream.url, 'eth_blockNumber')))
    const mosaic = await startRpcNode([join(ROOT, 'bin/mosaic'), '--execution-only', '--http.port', 'PORT', '--verbosity', '1', '--fork-url', upstream.url, '--fork-block-number', head, '--no-storage-caching', ...(process.env.BENCH_FORK_NO_PROOFS ? ['--fork.proofs=false'] : [])])
    const anvil = await startRpcNode([ANVIL, '--port', 'PORT', '--silent', '--fork-url', upstream.url, '--fork-block-number', head, '--no-storage-caching'])
    try {
      const all = Array.from({ length: ACCOUNTS }, (_, i) => account(i))
      const half = ACCOUNTS / 2
      const firstA = await readsPerSec('anvil --fork-url, first read', anvil.url, all.slice(0, half))
      const firstM = await readsPerSec('mosaic --fork-url, first read', mosaic.url, all.slice(half))
      const again = Array.from({ length: CACHED_READS }, () => account(0))
      const cachedA = await readsPerSec('anvil --fork-url, cached read', anvil.url, again)
      await call(mosaic.url, 'eth_getBalance', [account(0), 'latest'])
      const cachedM = await readsPerSec('mosaic --fork-url, cached read', mosaic.url, again)
      report(`fork mode: eth_getBalance, one at a time (${half} first reads, ${CACHED_READS} cached)`, [firstA, firstM], firstA)
      report('', [cachedA, cachedM], cachedA)
    } finally {
      mosaic.stop()
      anvil.stop()
    }
  } finally {
    upstream.stop()
  }
}

if (import.meta.main) await run()
