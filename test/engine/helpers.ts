/**
 * Shared by the Engine API tests: a Cancun genesis with one funded dev account, signed
 * transfers, payload surgery (a field changed, the block hash recomputed so that only the
 * change is wrong), and `bin/mosaic` in Engine API mode as a child process.
 */
import { afterAll, beforeAll } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS, parseGenesisJson, type ChainSpec } from '../../src/chainspec/index.ts'
import { createEngineClient, parseExecutionPayload, payloadHeader, type EngineClient } from '../../src/engine/index.ts'
import { bytesToHex, hexToBytes, type Hex } from '../../src/primitives/index.ts'
import { encodeTransaction, headerHash, signTransaction } from '../../src/types/index.ts'
import { startChild, type Proc, type Spawned } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')

export const CHAIN_ID = 1337n
export const FUNDED = DEV_ACCOUNTS[0]!.toLowerCase() as Hex
export const FUNDED_KEY = hexToBytes(DEV_PRIVATE_KEYS[0]!)

/** A merged-from-genesis chain with Shanghai and Cancun at time 0 (and Prague at `pragueTime`). */
export function cancunGenesis(opts: { pragueTime?: number } = {}): Record<string, unknown> {
  return {
    config: {
      chainId: Number(CHAIN_ID),
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      mergeNetsplitBlock: 0,
      terminalTotalDifficulty: 0,
      shanghaiTime: 0,
      cancunTime: 0,
      ...(opts.pragueTime !== undefined ? { pragueTime: opts.pragueTime } : {}),
    },
    alloc: { [FUNDED]: { balance: '0x3635c9adc5dea00000' } },
    gasLimit: '0x1c9c380',
    difficulty: '0x0',
    baseFeePerGas: '0x3b9aca00',
    excessBlobGas: '0x0',
    blobGasUsed: '0x0',
    timestamp: '0x0',
  }
}

export const cancunSpec = (): ChainSpec => parseGenesisJson(cancunGenesis(), 'custom')

/** A signed EIP-1559 transfer from the funded account (the dev chain's first too), as eth_sendRawTransaction takes it. */
export function transfer(nonce: bigint, opts: { to?: Hex; value?: bigint; tip?: bigint; maxFee?: bigint; chainId?: bigint } = {}): Hex {
  const tx = signTransaction(
    {
      type: 2,
      chainId: opts.chainId ?? CHAIN_ID,
      nonce,
      maxPriorityFeePerGas: opts.tip ?? 2_000_000_000n,
      maxFeePerGas: opts.maxFee ?? 30_000_000_000n,
      gasLimit: 21_000n,
      to: hexToBytes(opts.to ?? '0x000000000000000000000000000000000000dead'),
      value: opts.value ?? 1n,
      data: new Uint8Array(0),
      accessList: [],
    },
    FUNDED_KEY,
  )
  return bytesToHex(encodeTransaction(tx))
}

export type PayloadJson = Record<string, unknown> & { blockHash: Hex; parentHash: Hex; blockNumber: Hex; timestamp: Hex }

/** `payload` with `changes` applied and its blockHash recomputed (V3 payloads: the beacon root goes into the header). */
export function rehashed(payload: PayloadJson, changes: Record<string, unknown>, parentBeaconBlockRoot?: Hex): PayloadJson {
  const out = { ...payload, ...changes } as PayloadJson
  const p = parseExecutionPayload(out, [1, 2, 3])
  out.blockHash = bytesToHex(headerHash(payloadHeader(p, parentBeaconBlockRoot ? { parentBeaconBlockRoot: hexToBytes(parentBeaconBlockRoot) } : {})))
  return out
}

export const ZERO32 = `0x${'00'.repeat(32)}` as Hex
export const hex = (n: bigint | number): Hex => `0x${n.toString(16)}` as Hex

export const fcState = (head: Hex, safe: Hex = ZERO32, finalized: Hex = ZERO32) => ({ headBlockHash: head, safeBlockHash: safe, finalizedBlockHash: finalized })

/** The JSON-RPC error code a call fails with (in process or over HTTP), or 'ok'. */
export async function errorCode(p: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await p
    return 'ok'
  } catch (err) {
    const code = (err as { rpcCode?: unknown }).rpcCode
    if (typeof code === 'number' && code !== 0) return code
    throw err
  }
}

/** The log lines naming the Engine API's and the public RPC's endpoints. */
export const ENDPOINTS = { engine: /Engine API started.*endpoint=(http:\/\/\S+)/, rpc: /HTTP server started.*endpoint=(http:\/\/\S+)/ }

/**
 * `bin/mosaic --chain GENESIS --authrpc.port 0 --authrpc.jwtsecret SECRET --http.port 0 --datadir
 * D ...extra` as a child process; resolves once both servers' endpoints are in its log (30 s at most).
 */
export async function startEngineMosaic(files: { genesisFile: string; secretFile: string; datadir: string }, extra: string[] = [], name = 'mosaic'): Promise<{ child: Spawned<keyof typeof ENDPOINTS>; engineUrl: string; rpcUrl: string }> {
  const args = ['--chain', files.genesisFile, '--authrpc.port', '0', '--authrpc.jwtsecret', files.secretFile, '--http.port', '0', '--datadir', files.datadir, ...extra]
  const child = await startChild([MOSAIC, ...args], { ready: ENDPOINTS, timeoutMs: 30_000, name })
  return { child, engineUrl: child.match.engine[1]!, rpcUrl: child.match.rpc[1]! }
}

/** A `bin/mosaic` child process driven over the Engine API (JWT port) and the public RPC. */
export interface EngineNode {
  proc: Proc
  engineUrl: string
  rpcUrl: string
  /** What it logged up to start-up. */
  log: string
  /** A public JSON-RPC call; resolves to the result or the error object. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<{ result?: T; error?: { code: number; message: string } }>
  /** SIGTERM (SIGKILL 10 s later); the exit code. */
  stop(): Promise<number>
}

/**
 * Starts `bin/mosaic --chain GENESIS --authrpc.port 0 --authrpc.jwtsecret F --http.port 0` in
 * `dir` (GENESIS and F written there) and waits for both servers' endpoints in its log.
 */
export async function startEngineNode(dir: string, genesis: Record<string, unknown>, secret: Uint8Array, extra: string[] = []): Promise<EngineNode> {
  const secretFile = join(dir, 'jwt.hex')
  const genesisFile = join(dir, 'genesis.json')
  writeFileSync(secretFile, Buffer.from(secret).toString('hex'))
  writeFileSync(genesisFile, JSON.stringify(genesis))
  const { child, engineUrl, rpcUrl } = await startEngineMosaic({ genesisFile, secretFile, datadir: join(dir, 'data') }, extra)
  return {
    proc: child.proc,
    engineUrl,
    rpcUrl,
    log: child.startLog,
    async rpc(method, params = []) {
      const r = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
      return (await r.json()) as never
    },
    stop: () => child.stop(),
  }
}

/** A test file's Engine API node, as `useEngineNode` sets it up. */
export interface EngineNodeEnv {
  /** The temporary directory, made at once. */
  readonly dir: string
  /** Set in beforeAll. */
  node: EngineNode
  /** An Engine API client with the node's secret, set in beforeAll. */
  engine: EngineClient
}

/**
 * Registers a test file's node: a temporary directory (`prefix` + random) now; in beforeAll
 * `startEngineNode` on it and an Engine API client; in afterAll the node stopped and the
 * directory removed.
 */
export function useEngineNode(prefix: string, genesis: Record<string, unknown>, secret: Uint8Array, extra: string[] = []): EngineNodeEnv {
  const env = { dir: mkdtempSync(join(tmpdir(), prefix)) } as EngineNodeEnv
  beforeAll(async () => {
    env.node = await startEngineNode(env.dir, genesis, secret, extra)
    env.engine = createEngineClient({ url: env.node.engineUrl, secret })
  }, 40_000)
  afterAll(async () => {
    await env.node?.stop()
    rmSync(env.dir, { recursive: true, force: true })
  })
  return env
}
