/**
 * The JSON-RPC parameter parsers fuzzed through a running node (`bin/mosaic`, execution
 * profile in memory): every method gets fuzzed calls from a fixed seed (rpc-params.ts), each
 * answer is checked (rpc-fuzz.ts: a JSON-RPC response, an error code other than -32603, in
 * time), and the node still answers afterwards. `make fuzz` runs the same for a chosen time.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { rpc, startMosaic, type Child } from '../e2e/processes.ts'
import { rng } from './decoder-targets.ts'
import { emptyRpcStats, FUZZ_METHODS, fuzzCall } from './rpc-fuzz.ts'
import { SHAPED_METHODS } from './rpc-params.ts'

const CALLS_PER_METHOD = Number(process.env.RPC_FUZZ_CALLS ?? 30)
let node: Child

beforeAll(async () => {
  node = await startMosaic()
})
afterAll(() => node?.stop())

test('every method, fuzzed parameters: each answer a JSON-RPC response, no internal error; the node still answers', async () => {
  expect(FUZZ_METHODS.length).toBeGreaterThan(100)
  for (const m of SHAPED_METHODS) expect(FUZZ_METHODS).toContain(m)
  const r = rng(0x72706366)
  const stats = emptyRpcStats()
  for (let round = 0; round < CALLS_PER_METHOD; round++) for (const m of FUZZ_METHODS) await fuzzCall(node.url, r, m, stats)
  if (process.env.RPC_FUZZ_LOG) console.log(stats.sent, FUZZ_METHODS.length, [...stats.codes])
  expect(stats.findings).toEqual([])
  // the parsers refused most calls with -32602, and some went through
  expect(stats.codes.get('-32602') ?? 0).toBeGreaterThan(stats.sent / 4)
  expect(stats.codes.get('result') ?? 0).toBeGreaterThan(0)
  // (anvil_setChainId may have been fuzzed: any quantity)
  expect(await rpc(node.url, 'eth_chainId')).toMatch(/^0x[0-9a-f]+$/)
}, 120_000)
