/**
 * Shared by the Engine API tests: a Cancun genesis with one funded dev account, signed
 * transfers, and payload surgery (a field changed, the block hash recomputed so that only the
 * change is wrong).
 */
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS, parseGenesisJson, type ChainSpec } from '../../src/chainspec/index.ts'
import { parseExecutionPayload, payloadHeader } from '../../src/engine/index.ts'
import { bytesToHex, hexToBytes, type Hex } from '../../src/primitives/index.ts'
import { encodeTransaction, headerHash, signTransaction } from '../../src/types/index.ts'

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

/** A `bin/mosaic` child process driven over the Engine API (JWT port) and the public RPC. */
export interface EngineNode {
  proc: ReturnType<typeof Bun.spawn>
  engineUrl: string
  rpcUrl: string
  /** What it logged up to start-up. */
  log: string
  /** A public JSON-RPC call; resolves to the result or the error object. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<{ result?: T; error?: { code: number; message: string } }>
  stop(): Promise<void>
}

/**
 * Starts `bin/mosaic --chain GENESIS --authrpc.port 0 --authrpc.jwtsecret F --http.port 0` in
 * `dir` and waits for both servers' endpoints in its log.
 */
export async function startEngineNode(dir: string, genesis: Record<string, unknown>, secret: Uint8Array, extra: string[] = []): Promise<EngineNode> {
  const { writeFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const secretFile = join(dir, 'jwt.hex')
  const genesisFile = join(dir, 'genesis.json')
  writeFileSync(secretFile, Buffer.from(secret).toString('hex'))
  writeFileSync(genesisFile, JSON.stringify(genesis))
  const mosaic = join(import.meta.dir, '../../bin/mosaic')
  const proc = Bun.spawn([mosaic, '--chain', genesisFile, '--authrpc.port', '0', '--authrpc.jwtsecret', secretFile, '--http.port', '0', '--datadir', join(dir, 'data'), ...extra], { stderr: 'pipe', stdout: 'pipe' })
  const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader()
  const deadline = Date.now() + 30_000
  const ENGINE = /Engine API started.*endpoint=(http:\/\/\S+)/, HTTP = /HTTP server started.*endpoint=(http:\/\/\S+)/
  let log = ''
  while (!ENGINE.test(log) || !HTTP.test(log)) {
    if (Date.now() > deadline) throw new Error(`mosaic did not start: ${log}`)
    const { value, done } = await reader.read()
    if (done) throw new Error(`mosaic exited: ${log}`)
    log += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  const rpcUrl = log.match(HTTP)![1]!
  return {
    proc,
    engineUrl: log.match(ENGINE)![1]!,
    rpcUrl,
    log,
    async rpc(method, params = []) {
      const r = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
      return (await r.json()) as never
    },
    async stop() {
      proc.kill('SIGTERM')
      await proc.exited
    },
  }
}
