/**
 * Driving `bin/mosaic --profile statesync` as a consensus client would, for the follower's
 * process tests: a generated chain built here (each block's payload and the head it leaves),
 * the follower started as a child process with its stores, the blocks sent over the Engine API
 * (newPayloadV2 + forkchoiceUpdatedV2), and what its log says each store has synced.
 */
import { expect } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Blockchain } from '../../src/blockchain/index.ts'
import { createEngineClient, formatExecutionPayload, type EngineClient } from '../../src/engine/index.ts'
import { bytesToHex } from '../../src/primitives/index.ts'
import { generateWorkload, openWorkloadChain, parseWorkloadSpec, workloadGenesis } from '../../src/statediff/workload/index.ts'
import { startChild, type Spawned } from '../child-process.ts'

export const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const SECRET = new Uint8Array(32).fill(0x5a)

export interface Step {
  payload: Record<string, unknown>
  head: string
  number: bigint
  rlp: Uint8Array
}

export interface BuiltChain {
  chain: Blockchain
  steps: Step[]
  genesisFile: string
  secretFile: string
  /** The final head's hash. */
  head: `0x${string}`
}

/** The workload `spec`'s chain, built in-process, with its genesis and a JWT secret written to `dir`. */
export function buildChain(spec: string, dir: string): BuiltChain {
  const s = parseWorkloadSpec(spec)
  const genesisFile = join(dir, 'genesis.json')
  writeFileSync(genesisFile, JSON.stringify(workloadGenesis(s)))
  const secretFile = join(dir, 'jwt.hex')
  writeFileSync(secretFile, Buffer.from(SECRET).toString('hex'))
  const chain = openWorkloadChain(s)
  const steps: Step[] = []
  for (const b of generateWorkload(chain, s)) steps.push({ payload: formatExecutionPayload(b.block, b.hash, 2), head: bytesToHex(chain.headBlockHash()), number: chain.head().number, rlp: b.rlp })
  return { chain, steps, genesisFile, secretFile, head: bytesToHex(chain.headBlockHash()) }
}

const ENDPOINTS = { engine: /Engine API started.*endpoint=(http:\/\/\S+)/, rpc: /HTTP server started.*endpoint=(http:\/\/\S+)/ }

export interface Follower {
  child: Spawned<keyof typeof ENDPOINTS>
  engine: EngineClient
  rpcUrl: string
}

/** The follower on `datadir` with `--store` per store and `extra` flags. */
export async function startFollower(c: BuiltChain, datadir: string, stores: string[], extra: string[] = [], env: Record<string, string> = {}): Promise<Follower> {
  const args = ['--profile', 'statesync', '--chain', c.genesisFile, '--datadir', datadir, '--authrpc.port', '0', '--authrpc.jwtsecret', c.secretFile, '--http.port', '0', ...stores.flatMap((s) => ['--store', s]), ...extra]
  const child = await startChild([MOSAIC, ...args], { ready: ENDPOINTS, timeoutMs: 30_000, env: { ...process.env, ...env }, name: 'mosaic statesync' })
  return { child, engine: createEngineClient({ url: child.match.engine[1]!, secret: SECRET }), rpcUrl: child.match.rpc[1]! }
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await r.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

/** Sends steps [from, to) as newPayloadV2 + forkchoiceUpdatedV2, each VALID. */
export async function drive(f: Follower, steps: Step[], from: number, to: number): Promise<void> {
  for (const s of steps.slice(from, to)) {
    const st = await f.engine.call<{ status: string; validationError: string | null }>('engine_newPayloadV2', [s.payload])
    expect(st.status, st.validationError ?? '').toBe('VALID')
    const fc = await f.engine.call<{ payloadStatus: { status: string } }>('engine_forkchoiceUpdatedV2', [{ headBlockHash: s.head, safeBlockHash: s.head, finalizedBlockHash: `0x${'00'.repeat(32)}` }, null])
    expect(fc.payloadStatus.status).toBe('VALID')
  }
}

/** The last block a store's "Store synced" lines name, or -1. */
export function syncedTo(log: string, store: string): { number: number; hash?: string } {
  const re = new RegExp(`Store synced.*store=${store} number=(\\d+) hash=(0x[0-9a-f]+)`, 'g')
  let last = { number: -1 } as { number: number; hash?: string }
  for (const m of log.matchAll(re)) last = { number: Number(m[1]), hash: m[2] }
  return last
}
